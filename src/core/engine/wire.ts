// Builds the engine's dependencies from a command Session: the model client factory (redaction, rate limit, budget,
// ledger), the prompt templates, and the config secrets to redact. Shared by `workflow run`, `resume` and `run`.
import { createModelClient } from '../ai/model-client.js';
import { createPromptSource } from '../ai/prompts.js';
import { sharedRateLimiter } from '../ai/rate-limit.js';
import { createRedactor } from '../ai/redact.js';
import type { Approver } from '../approvals.js';
import type { Emit } from '../events.js';
import type { Session } from '../session.js';
import type { EngineDeps } from './run-context.js';
import type { ModelFactory } from './types.js';

export interface RunHooks {
  emit: Emit;
  approver: Approver;
  signal: AbortSignal;
  rollback?: boolean | undefined;
  /** host:pid of this process. */
  owner?: string | undefined;
}

export function engineDeps(session: Session, hooks: RunHooks): EngineDeps {
  const { config, repoRoot, secretPaths } = session.loaded;
  const ledger = session.ledger();
  const redactor = createRedactor({ env: session.runtime.env, patterns: config.security.redact_patterns });
  const model: ModelFactory = async (step) => {
    const provider = await session.providers.get('ai');
    const limiter = sharedRateLimiter(provider.id, {
      concurrency: config.ai.rate_limit.concurrency ?? config.system.max_concurrent_agents,
      requestsPerMinute: config.ai.rate_limit.requests_per_minute,
      clock: session.runtime.clock,
    });
    return createModelClient({
      provider,
      ledger,
      runId: step.runId,
      stepId: step.stepId,
      taskId: step.taskId,
      workflow: step.workflow,
      config,
      runtime: session.runtime,
      emit: step.emit,
      redactor,
      limiter,
      logger: session.logger,
    });
  };
  return {
    ledger,
    providers: session.providers,
    config,
    runtime: session.runtime,
    logger: session.logger,
    repoRoot,
    emit: hooks.emit,
    approver: hooks.approver,
    signal: hooks.signal,
    model,
    prompts: createPromptSource(repoRoot),
    secretPaths,
    rollback: hooks.rollback,
    owner: hooks.owner,
  };
}
