// Which runs a watcher picks up again when it starts: runs it claimed (a watch.claim effect) in this repository on this
// host that were interrupted, or still say `running` although their process is gone (killed, or the machine rebooted).
// Runs of other hosts on a shared ledger are theirs to resume.
import type { Ledger, RunRow } from '../ledger/types.js';
import { CLAIM_KIND } from './claim.js';

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
