// What `aidev plan` returns (and --json prints): the plan, the key → tracker id mapping, what was published, and how
// to continue. Built from the ledger's plan row and the engine's run result, so a fresh run and a resume look alike.
import type { RunResult } from '../engine/types.js';
import type { RunStatus } from '../events.js';
import { publishOperations, type PublishOperation } from './publish.js';
import { countsOf, type Plan } from './schema.js';
import type { PlanRecord, PublishedItem } from './store.js';

export interface PlanResult {
  planId: string;
  runId: string | null;
  /** The plan row's status: draft, awaiting_approval, published, rejected… */
  status: PlanRecord['status'];
  runStatus: RunStatus | null;
  exitCode: number;
  dryRun: boolean;
  plan: Plan | null;
  counts: { epics: number; tasks: number; dependencies: number } | null;
  /** Plan key → tracker id, for what is in the tracker. */
  mapping: Record<string, string>;
  items: PublishedItem[];
  /** The writes a publish would make (--dry-run). */
  operations?: PublishOperation[] | undefined;
  created: number;
  reused: number;
  links: number;
  docs: { key: string; url: string } | null;
  scaffold: { dir: string; commit: string; remote: string | null; note?: string | null | undefined } | null;
  notified: boolean;
  costUsd: number;
  error?: { code: string; message: string; hint?: string | undefined } | undefined;
  next?: string | undefined;
}

export function planResult(
  record: PlanRecord,
  run: RunResult | null,
  options: { dryRun: boolean },
): PlanResult {
  const plan = record.plan;
  const published = record.published;
  const items = published?.items ?? [];
  const publish = run?.outputs.publish as { created?: number; reused?: number; links?: number } | undefined;
  const scaffold = run?.outputs.scaffold as { note?: string | null } | undefined;
  const notified =
    run?.steps.some((s) => s.id === 'notify' && s.status === 'succeeded') ?? Boolean(published?.notified);
  return {
    planId: record.id,
    runId: record.runId,
    status: record.status,
    runStatus: run?.status ?? null,
    exitCode: run?.exitCode ?? 0,
    dryRun: options.dryRun,
    plan,
    counts: plan ? countsOf(plan) : null,
    mapping: Object.fromEntries(items.map((i) => [i.key, i.id])),
    items,
    operations: options.dryRun && plan ? publishOperations(plan) : undefined,
    created: publish?.created ?? 0,
    reused: publish?.reused ?? 0,
    links: publish?.links ?? published?.links ?? 0,
    docs: published?.docs ?? null,
    scaffold: published?.scaffold ? { ...published.scaffold, note: scaffold?.note ?? null } : null,
    notified,
    costUsd: run?.costUsd ?? 0,
    error: run?.error,
    next: nextStep(record, run, options.dryRun),
  };
}

function nextStep(record: PlanRecord, run: RunResult | null, dryRun: boolean): string | undefined {
  const id = record.id;
  if (dryRun && record.plan)
    return `publish this draft without another model call: aidev plan --resume ${id} --yes`;
  switch (run?.status) {
    case 'awaiting_approval':
      return `aidev plan --resume ${id} --yes   (or review it on a terminal: aidev plan --resume ${id})`;
    case 'interrupted':
    case 'failed':
    case 'budget_exceeded':
      return record.plan
        ? `aidev plan --resume ${id}   (nothing published so far is created again)`
        : undefined;
    default:
      return undefined;
  }
}
