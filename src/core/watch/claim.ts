// Claiming a task before running it, so that two watchers never run the same task. The claim is an idempotent effect
// in the ledger with one key per (tracker, task, generation): whoever inserts the key first owns the task, and every
// watcher sharing the ledger (one machine's SQLite file, or the team's PostgreSQL) sees it. Then the tracker is told:
// status → in_progress, a "picked up by aidev, run <id>" comment, and a re-read that confirms the claim held there too.
// A task that comes back to `todo` after its run ended may be claimed again: the next generation's key.
import type { Task, TasksProvider } from '../../../providers/types.js';
import type { RunStatus } from '../events.js';
import type { EffectRow, Ledger } from '../ledger/types.js';

export const CLAIM_KIND = 'watch.claim';

/** A run in one of these no longer holds its task. */
const ENDED: readonly RunStatus[] = ['succeeded', 'failed', 'rejected', 'budget_exceeded'];

export interface ClaimDeps {
  ledger: Ledger;
  tasks: TasksProvider;
  /** ISO time now. */
  now: () => string;
  newRunId: () => string;
  /** host:pid of this watcher. */
  owner: string;
  /** Keeps equal task ids of different trackers or repos apart on a shared ledger. */
  scope: string;
  signal?: AbortSignal | undefined;
}

export type ClaimOutcome =
  { won: true; runId: string; key: string; commentId: string | null } | { won: false; reason: string };

interface ClaimResult {
  runId?: string;
  released?: boolean;
}

export function claimBase(scope: string, taskId: string): string {
  return `${CLAIM_KIND}:${scope}:${taskId}`;
}

/** The latest claim of a task and its generation number (0: never claimed). */
export function latestClaim(ledger: Ledger, base: string): { n: number; effect: EffectRow | null } {
  let n = 0;
  let effect: EffectRow | null = null;
  for (;;) {
    const next = ledger.getEffect(`${base}#${n + 1}`);
    if (!next) return { n, effect };
    n++;
    effect = next;
  }
}

/** Why a task's latest claim still holds it, or null when it may be claimed (again). */
export function holder(ledger: Ledger, effect: EffectRow | null): string | null {
  if (!effect) return null;
  if ((effect.result as ClaimResult | null)?.released) return null;
  const run = effect.runId ? ledger.getRun(effect.runId) : null;
  if (!run) return `being claimed by run ${effect.runId ?? '?'}`;
  if (ENDED.includes(run.status)) return null;
  return `held by run ${run.id} (${run.status})`;
}

export async function claimTask(deps: ClaimDeps, task: Task): Promise<ClaimOutcome> {
  const { ledger, tasks } = deps;
  const opts = { signal: deps.signal };
  const base = claimBase(deps.scope, task.id);
  // Ledger first, tracker second: a claim made and finished between the two reads is seen by one of them.
  const latest = latestClaim(ledger, base);
  const held = holder(ledger, latest.effect);
  if (held) return { won: false, reason: held };
  const fresh = await tasks.getTask(task.id, opts);
  if (fresh.status !== 'todo') return { won: false, reason: `no longer todo (${fresh.status})` };

  const runId = deps.newRunId();
  const key = `${base}#${latest.n + 1}`;
  const row = ledger.beginEffect({ key, runId, stepId: null, kind: CLAIM_KIND }, deps.now());
  if (row.runId !== runId)
    return { won: false, reason: `claimed by another watcher (run ${row.runId ?? '?'})` };
  ledger.audit({
    runId,
    stepId: null,
    at: deps.now(),
    actor: `aidev watch (${deps.owner})`,
    action: CLAIM_KIND,
    decision: 'claimed',
    detail: { taskId: task.id, key },
  });

  await tasks.updateStatus(task.id, 'in_progress', opts);
  const comment = await tasks.addComment(task.id, `picked up by aidev, run ${runId}`, opts);
  const confirmed = await tasks.getTask(task.id, opts);
  if (confirmed.status !== 'in_progress') {
    // Someone moved it while we claimed: let go rather than run a task a person just took back.
    ledger.completeEffect(key, comment.id, { runId, released: true, reason: confirmed.status }, deps.now());
    return { won: false, reason: `moved to ${confirmed.status} while being claimed` };
  }
  ledger.completeEffect(key, comment.id, { runId, owner: deps.owner, at: deps.now() }, deps.now());
  return { won: true, runId, key, commentId: comment.id };
}
