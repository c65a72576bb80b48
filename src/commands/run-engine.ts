// Kept for callers that adopted it early (src/commands/plan.ts): the engine's dependencies for a command, now one call
// to src/core/engine/wire.ts, which `workflow run`, `resume` and `run` share. New code should use wire.ts directly.
import { hostname } from 'node:os';
import type { Approver } from '../core/approvals.js';
import type { EngineDeps } from '../core/engine/run-context.js';
import { engineDeps as wireEngineDeps } from '../core/engine/wire.js';
import type { Emit } from '../core/events.js';
import type { Session } from '../core/session.js';

export interface EngineEdge {
  emit: Emit;
  approver: Approver;
  signal: AbortSignal;
}

export function engineDeps(session: Session, repoRoot: string, edge: EngineEdge): EngineDeps {
  return { ...wireEngineDeps(session, { ...edge, owner: `${hostname()}:${process.pid}` }), repoRoot };
}
