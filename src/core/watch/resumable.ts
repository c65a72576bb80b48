// Which runs a watcher picks up again when it starts: runs it claimed (a watch.claim effect) in this repository on this
// host that were interrupted, or still say `running` although their process is gone (killed, or the machine rebooted).
// Runs of other hosts on a shared ledger are theirs to resume. Also claims whose run never started (the watcher died
// between claiming and starting): those tasks sit in_progress with a claim comment and no run.
import type { Task } from '../../../providers/types.js';
import type { Ledger, RunRow } from '../ledger/types.js';
import { claimBase, CLAIM_KIND, latestClaim } from './claim.js';

export function resumableRuns(
  ledger: Ledger,
  me: { repoRoot: string; owner: string; isAlive: (pid: number) => boolean },
): RunRow[] {
  const [host, myPid] = splitOwner(me.owner);
  const candidates = [
    ...ledger.listRuns({ status: 'interrupted', limit: 500 }),
    ...ledger.listRuns({ status: 'running', limit: 500 }),
  ];
  return candidates
    .filter((run) => {
      if (run.repo !== me.repoRoot) return false;
      const owner = (run.state.engine as { owner?: unknown } | undefined)?.owner;
      if (typeof owner !== 'string') return false;
      const [runHost, pid] = splitOwner(owner);
      if (runHost !== host) return false;
      if (run.status === 'running' && (pid === myPid || me.isAlive(pid))) return false;
      return ledger.listEffects(run.id).some((e) => e.kind === CLAIM_KIND);
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

function splitOwner(owner: string): [string, number] {
  const at = owner.lastIndexOf(':');
  return [owner.slice(0, at), Number(owner.slice(at + 1))];
}

/** In-progress tasks this host claimed whose run was never created: the claimed run id is started now. */
export function orphanClaims(
  ledger: Ledger,
  tasks: readonly Task[],
  me: { scope: string; owner: string; isAlive: (pid: number) => boolean },
): { task: Task; runId: string }[] {
  const [host, myPid] = splitOwner(me.owner);
  const out: { task: Task; runId: string }[] = [];
  for (const task of tasks) {
    const { effect } = latestClaim(ledger, claimBase(me.scope, task.id));
    if (!effect?.runId || ledger.getRun(effect.runId)) continue;
    const result = effect.result as { released?: boolean; owner?: unknown } | null;
    if (result?.released) continue;
    // The owner is in the completed claim, or in the audit row written the moment the claim was won.
    const audit = ledger.listAudit(effect.runId).find((a) => a.action === CLAIM_KIND);
    const owner =
      typeof result?.owner === 'string' ? result.owner : /\((.+)\)$/.exec(audit?.actor ?? '')?.[1];
    if (!owner) continue;
    const [claimHost, pid] = splitOwner(owner);
    if (claimHost !== host || pid === myPid || me.isAlive(pid)) continue;
    out.push({ task, runId: effect.runId });
  }
  return out;
}
