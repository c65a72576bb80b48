// One run's shared state while it executes, and the StepContext each step receives from it.
import type { Task } from '../../../providers/types.js';
import type { Approver } from '../approvals.js';
import type { Config } from '../config/schema.js';
import { AidevError } from '../errors.js';
import type { Emit } from '../events.js';
import type { Ledger } from '../ledger/types.js';
import type { Logger } from '../logger.js';
import type { ProviderSet } from '../providers.js';
import type { Runtime } from '../runtime.js';
import { effectRunner } from './effects.js';
import { scopeOf, type ScopeState } from './scope.js';
import type { ModelFactory, ModelClient, PromptSource, RunState, StepContext, WorkflowDef } from './types.js';

/** What the engine needs from the outside world; the command layer builds it from a Session. */
export interface EngineDeps {
  ledger: Ledger;
  providers: ProviderSet;
  config: Config;
  runtime: Runtime;
  logger: Logger;
  repoRoot: string;
  emit: Emit;
  approver: Approver;
  /** Aborted by the first Ctrl-C: the current step stops, the run is saved as interrupted (exit 130). */
  signal: AbortSignal;
  model?: ModelFactory | undefined;
  prompts?: PromptSource | undefined;
  /** Config paths whose values are credentials (redacted from `${config.…}`). */
  secretPaths?: ReadonlySet<string> | undefined;
  /** false: --no-rollback. */
  rollback?: boolean | undefined;
  /** Who runs it (host:pid), kept in the run state so `resume` can refuse a run that is still alive. */
  owner?: string | undefined;
}

/** Engine bookkeeping inside the persisted run state. */
export interface EngineState {
  /** Pass number per step id (an approval loop runs a step again under a new pass, with fresh effect keys). */
  pass: Record<string, number>;
  feedback: string | null;
  owner?: string | undefined;
  rolledBack?: boolean | undefined;
  /** An approval sent the run back from `to` to `from`; cleared once those steps are reset to pending. */
  loop?: { from: string; to: string } | undefined;
}

export class RunContext {
  readonly state: RunState;
  failed = false;

  constructor(
    readonly deps: EngineDeps,
    readonly workflow: WorkflowDef,
    readonly runId: string,
    readonly taskId: string | null,
    readonly scopeState: ScopeState,
    state: RunState,
  ) {
    this.state = state;
    this.engine.pass ??= {};
    this.engine.feedback ??= null;
    scopeState.feedback = this.engine.feedback;
  }

  get engine(): EngineState {
    this.state.engine ??= { pass: {}, feedback: null };
    return this.state.engine as EngineState;
  }

  now(): string {
    return this.deps.runtime.clock.now().toISOString();
  }

  scope(): Record<string, unknown> {
    this.scopeState.task = this.state.task;
    return scopeOf(this.scopeState);
  }

  setFeedback(feedback: string | null): void {
    this.engine.feedback = feedback;
    this.scopeState.feedback = feedback;
  }

  persistState(): void {
    this.deps.ledger.updateRun(this.runId, { ...this.runPatch() });
  }

  runPatch(): { state: RunState; updatedAt: string; branch?: string; worktree?: string } {
    const patch: { state: RunState; updatedAt: string; branch?: string; worktree?: string } = {
      state: this.state,
      updatedAt: this.now(),
    };
    if (typeof this.state.branch === 'string') patch.branch = this.state.branch;
    if (typeof this.state.worktree === 'string') patch.worktree = this.state.worktree;
    return patch;
  }

  stepContext(stepId: string, attempt: number, signal: AbortSignal): StepContext {
    const deps = this.deps;
    const pass = this.engine.pass[stepId] ?? 1;
    let model: Promise<ModelClient> | undefined;
    return {
      runId: this.runId,
      stepId,
      attempt,
      workflow: this.workflow,
      signal,
      logger: deps.logger,
      emit: deps.emit,
      ledger: deps.ledger,
      providers: deps.providers,
      config: deps.config,
      runtime: deps.runtime,
      approver: deps.approver,
      repoRoot: deps.repoRoot,
      prompts: deps.prompts,
      cwd: () => (typeof this.state.worktree === 'string' ? this.state.worktree : deps.repoRoot),
      state: this.state,
      saveState: () => this.persistState(),
      task: () => this.state.task as Task | undefined,
      scope: () => this.scope(),
      model: () => {
        if (!deps.model)
          return Promise.reject(new AidevError('INTERNAL', 'no model client is wired into this run'));
        model ??= deps.model({
          runId: this.runId,
          stepId,
          taskId: this.taskId,
          workflow: this.workflow.name,
          emit: deps.emit,
          signal,
        });
        return model;
      },
      effect: effectRunner(
        deps.ledger,
        deps.runtime,
        this.runId,
        stepId,
        pass > 1 ? `${stepId}~${pass}` : stepId,
      ),
      audit: (action, decision, detail) => {
        const by =
          detail && typeof detail === 'object' && typeof (detail as { by?: unknown }).by === 'string'
            ? (detail as { by: string }).by
            : 'aidev';
        deps.ledger.audit({
          runId: this.runId,
          stepId,
          at: this.now(),
          actor: by,
          action,
          decision,
          detail: detail ?? null,
        });
      },
      progress: (message, stream) =>
        deps.emit({ type: 'step.progress', runId: this.runId, stepId, message, stream, at: this.now() }),
    };
  }
}
