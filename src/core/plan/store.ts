// The plan's row in the ledger (`plans`): the idea, the current draft, its status, and what publishing produced
// (the key → tracker id mapping, the docs page, the scaffold). `aidev plan --resume <plan-id>` starts from here.
import type { Ledger, PlanRow } from '../ledger/types.js';
import type { Runtime } from '../runtime.js';
import type { Plan } from './schema.js';

export type PlanStatus =
  | 'drafting'
  | 'draft'
  | 'awaiting_approval'
  | 'approved'
  | 'publishing'
  | 'published'
  | 'rejected'
  | 'failed';

export interface PublishedItem {
  key: string;
  id: string;
  url: string | null;
  kind: 'epic' | 'task';
  title: string;
}

/** What the outside world holds for this plan so far. */
export interface PublishedState {
  items: PublishedItem[];
  links: number;
  docs?: { key: string; url: string } | undefined;
  scaffold?: { dir: string; commit: string; remote: string | null } | undefined;
  notified?: boolean | undefined;
}

export interface PlanRecord {
  id: string;
  runId: string | null;
  idea: string;
  status: PlanStatus;
  plan: Plan | null;
  published: PublishedState | null;
  createdAt: string;
  updatedAt: string;
}

export function readPlan(ledger: Ledger, id: string): PlanRecord | null {
  const row = ledger.getPlan(id);
  return row ? toRecord(row) : null;
}

/** Creates or updates the row; fields not given keep their stored value. */
export function writePlan(
  ledger: Ledger,
  runtime: Runtime,
  id: string,
  patch: Partial<Omit<PlanRecord, 'id' | 'createdAt' | 'updatedAt'>>,
): PlanRecord {
  const now = runtime.clock.now().toISOString();
  const current = readPlan(ledger, id);
  const next: PlanRecord = {
    id,
    runId: patch.runId !== undefined ? patch.runId : (current?.runId ?? null),
    idea: patch.idea ?? current?.idea ?? '',
    status: patch.status ?? current?.status ?? 'drafting',
    plan: patch.plan !== undefined ? patch.plan : (current?.plan ?? null),
    published: patch.published !== undefined ? patch.published : (current?.published ?? null),
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
  };
  ledger.savePlan(next);
  return next;
}

function toRecord(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    runId: row.runId,
    idea: row.idea,
    status: row.status as PlanStatus,
    plan: (row.plan ?? null) as Plan | null,
    published: (row.published ?? null) as PublishedState | null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
