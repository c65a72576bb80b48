// The engine's contract with step kinds and provider actions. A step kind is one file registered in one table
// (step-kinds.ts); a provider action (`uses: tasks.get`) is one entry in actions/<category>.ts.
import type { ZodType } from 'zod';
import type { AiRequest, AiResponse, Task } from '../../../providers/types.js';
import type { Approver } from '../approvals.js';
import type { Config } from '../config/schema.js';
import type { Emit, RunStatus, StepStatus } from '../events.js';
import type { Ledger } from '../ledger/types.js';
import type { Logger } from '../logger.js';
import type { ProviderSet } from '../providers.js';
import type { Runtime } from '../runtime.js';

export type OnError = 'fail' | 'continue' | 'retry';

export interface RetryPolicy {
  maxAttempts: number;
  /** Milliseconds. */
  initialInterval: number;
  backoffCoefficient: number;
  maxInterval: number;
  nonRetryable: string[];
}

export interface SourceRef {
  file: string;
  line: number;
  col: number;
}

export interface StepDef {
  id: string;
  /** `uses`, `ai`, `agent`, `run`, `approval`, or another registered kind. */
  kind: string;
  /** The kind's own block (`uses: tasks.get` → 'tasks.get'; `ai: {prompt}` → that object; `run: "npm test"` → the string). */
  spec: unknown;
  with: Record<string, unknown>;
  outputs: Record<string, string>;
  if?: string | undefined;
  onError: OnError;
  retry?: RetryPolicy | undefined;
  /** Milliseconds. */
  timeout?: number | undefined;
  compensate?: StepDef | undefined;
  /** `compensate: false`: no rollback for this step, not even the action's default. */
  noCompensate?: boolean | undefined;
  title?: string | undefined;
  where: SourceRef;
  /** How a specification-style step was read (`plugin: task_management, action: get_task` → `uses: tasks.get`). */
  compat?: string | undefined;
}

export interface InputDef {
  description?: string | undefined;
  required: boolean;
  default?: unknown;
  /** How `--input name=value` text is converted (default string). */
  type?: 'string' | 'number' | 'boolean' | undefined;
}

export interface WorkflowDef {
  name: string;
  /** A `name:` written in prose ("My Custom Workflow"): shown, while the workflow is called by its file name. */
  title?: string | undefined;
  description: string;
  inputs: Record<string, InputDef>;
  steps: StepDef[];
  file: string;
  source: 'shipped' | 'project' | 'file';
}

/** The single path for model calls: redaction, rate limit, budget guard, ledger, events (src/core/ai/model-client.ts). */
export interface ModelClient {
  readonly model: string;
  complete(
    request: Omit<AiRequest, 'maxTokens'> & { maxTokens?: number | undefined },
    opts?: { signal?: AbortSignal; onText?: (text: string) => void },
  ): Promise<AiResponse>;
}

/** Mutable state of a run that survives resume (persisted in runs.state_json): branch, worktree, PR url, thread ids… */
export type RunState = Record<string, unknown>;

export interface StepContext {
  runId: string;
  stepId: string;
  attempt: number;
  workflow: WorkflowDef;
  signal: AbortSignal;
  logger: Logger;
  emit: Emit;
  ledger: Ledger;
  providers: ProviderSet;
  config: Config;
  runtime: Runtime;
  approver: Approver;
  /** The user's checkout (never modified by a run). */
  repoRoot: string;
  /** Where the step works: the run's worktree once git.create_branch made it, else repoRoot. */
  cwd(): string;
  state: RunState;
  /** Persists `state` now (the engine also saves it at every checkpoint). */
  saveState(): void;
  task(): Task | undefined;
  /** Everything `${…}` can see: inputs, steps.<id>.outputs, task, run, config, plus flat spec-style variables. */
  scope(): Record<string, unknown>;
  model(): Promise<ModelClient>;
  /** Prompt templates (set by the engine; optional so hand-made contexts in tests need not provide it). */
  prompts?: PromptSource | undefined;
  /**
   * Runs an external side effect at most once per key across crashes and resumes: the key is recorded before `fn`
   * runs and its result after; a key already done returns the recorded result without calling `fn`.
   * When the key is pending (crashed mid-effect), `recover` (if given) looks for the effect in the outside world first.
   * `key` is a name unique within the step (`'pr'`, `'push'`); the engine stores it as `${runId}:${stepId}:${key}`
   * (with `~<n>` after the step id on the n-th pass of an approval loop). A key that already starts with
   * `${runId}:` is used as given.
   */
  effect<T>(
    key: string,
    kind: string,
    fn: () => Promise<{ externalId: string | null; result: T }>,
    recover?: () => Promise<{ externalId: string | null; result: T } | null>,
  ): Promise<T>;
  /** Records an audit row for this step. */
  audit(action: string, decision: string, detail?: unknown): void;
  progress(message: string, stream?: 'stdout' | 'stderr' | 'model' | 'tool'): void;
}

export interface ValidationIssue {
  message: string;
  hint?: string | undefined;
  /** Path inside the step (e.g. ['with', 'prompt']) for the position. */
  path?: (string | number)[] | undefined;
}

export interface ValidateContext {
  repoRoot: string;
  config: Config | undefined;
  /** Is this an existing prompt template name? */
  promptExists(name: string): boolean;
}

export interface StepKindHandler<S = unknown> {
  kind: string;
  /** Validates the kind's block at load time. */
  schema: ZodType<S>;
  /** Extra load-time checks (template exists, action known…). */
  validate?(spec: S, step: StepDef, ctx: ValidateContext): ValidationIssue[];
  /** Milliseconds a step of this kind may take when it sets no `timeout:` (none when absent). */
  defaultTimeoutMs?: number | undefined;
  /** Output names this kind always produces (for reference checks). */
  outputs?(spec: S, step?: StepDef): string[] | undefined;
  execute(spec: S, input: Record<string, unknown>, ctx: StepContext): Promise<Record<string, unknown>>;
  /** Where to go after a successful execution: an approval's feedback loops back to its `retry_step`. */
  next?(spec: S, outputs: Record<string, unknown>): { goto: string } | undefined;
  /** The rollback used when the step has no `compensate:` of its own (`uses:` → the action's compensate). */
  compensate?(
    spec: S,
    input: Record<string, unknown>,
    output: Record<string, unknown>,
    ctx: StepContext,
  ): Promise<void>;
}

export interface ProviderAction {
  /** `tasks.get`, `git.commit`, … */
  name: string;
  description: string;
  input: ZodType;
  /** Output names it produces. */
  outputs: string[];
  run(input: Record<string, unknown>, ctx: StepContext): Promise<Record<string, unknown>>;
  /** Optional default rollback when the run fails later (delete branch, close PR, restore status). */
  compensate?(
    input: Record<string, unknown>,
    output: Record<string, unknown>,
    ctx: StepContext,
  ): Promise<void>;
}

/** Builds the model client of one step (src/core/ai/model-client.ts in production, a fake in tests). */
export type ModelFactory = (step: {
  runId: string;
  stepId: string;
  taskId: string | null;
  workflow: string;
  emit: Emit;
  signal: AbortSignal;
}) => Promise<ModelClient>;

/** A rendered prompt template (src/core/ai/prompts.ts): the system part and the user message. */
export interface RenderedPrompt {
  system: string;
  user: string;
}

/** Prompt templates as the engine needs them: does one exist (load time), render it (run time). */
export interface PromptSource {
  exists(name: string): boolean;
  render(name: string, vars: Record<string, unknown>): Promise<RenderedPrompt>;
  /** Renders a prompt file (absolute path; `shown` as the workflow wrote it). Absent: the real file renderer is used. */
  renderFile?(file: string, vars: Record<string, unknown>, shown?: string): Promise<RenderedPrompt>;
}

export interface StepResult {
  id: string;
  kind: string;
  status: StepStatus;
  attempt: number;
  durationMs: number | null;
  outputs?: Record<string, unknown> | undefined;
  error?: { code: string; message: string } | undefined;
}

/** What `workflow run`, `resume` and `run` return: the reporters print it, --json prints it as is. */
export interface RunResult {
  runId: string;
  workflow: string;
  taskId: string | null;
  status: RunStatus;
  exitCode: number;
  steps: StepResult[];
  /** Step id → outputs, for every step that produced some. */
  outputs: Record<string, Record<string, unknown>>;
  costUsd: number;
  tokens: number;
  durationMs: number;
  error?: { code: string; message: string; hint?: string | undefined } | undefined;
  /** How to continue a paused, interrupted or budget-stopped run. */
  next?: string | undefined;
}

export type { AiRequest, AiResponse };
