// Wires one command's Session into what the engine needs (EngineDeps): the model client per step (redaction, rate
// limit, budget guard), the prompt templates, and the step kinds and actions that `aidev run` brings (agent, git.*).
import { hostname } from 'node:os';
import { agentStepKind } from '../core/agent/agent-step.js';
import { createModelClient } from '../core/ai/model-client.js';
import { createPromptSource } from '../core/ai/prompts.js';
import { sharedRateLimiter } from '../core/ai/rate-limit.js';
import { createRedactor } from '../core/ai/redact.js';
import type { Approver } from '../core/approvals.js';
import { gitActions } from '../core/engine/actions/git.js';
import { registerAction } from '../core/engine/actions/index.js';
import type { EngineDeps } from '../core/engine/run-context.js';
import { registerStepKind } from '../core/engine/step-kinds.js';
import type { ModelFactory } from '../core/engine/types.js';
import type { Emit } from '../core/events.js';
import type { Session } from '../core/session.js';

/** Makes sure the engine knows the agent kind and the git actions (idempotent: the tables are keyed by name). */
export function registerRunKinds(): void {
  registerStepKind(agentStepKind);
  for (const action of gitActions) registerAction(action);
}

export function modelFactory(session: Session): ModelFactory {
  const { config } = session.loaded;
  const redactor = createRedactor({ env: session.runtime.env, patterns: config.security.redact_patterns });
  return async (step) => {
    const provider = await session.providers.get('ai');
    return createModelClient({
      provider,
      ledger: session.ledger(),
      runId: step.runId,
      stepId: step.stepId,
      taskId: step.taskId,
      workflow: step.workflow,
      config,
      runtime: session.runtime,
      emit: step.emit,
      redactor,
      limiter: sharedRateLimiter(provider.id, {
        concurrency: config.ai.rate_limit.concurrency,
        requestsPerMinute: config.ai.rate_limit.requests_per_minute,
      }),
      logger: session.logger,
    });
  };
}

export interface EngineEdge {
  emit: Emit;
  approver: Approver;
  signal: AbortSignal;
}

export function engineDeps(session: Session, repoRoot: string, edge: EngineEdge): EngineDeps {
  registerRunKinds();
  return {
    ledger: session.ledger(),
    providers: session.providers,
    config: session.loaded.config,
    runtime: session.runtime,
    logger: session.logger,
    repoRoot,
    emit: edge.emit,
    approver: edge.approver,
    signal: edge.signal,
    model: modelFactory(session),
    prompts: createPromptSource(repoRoot),
    secretPaths: session.loaded.secretPaths,
    owner: `${hostname()}:${process.pid}`,
  };
}
