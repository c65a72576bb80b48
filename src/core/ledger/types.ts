// The ledger interface: run history, step checkpoints, model calls, budget reservations, effects, audit, plans.
// SQLite is the default backend; everything SQL stays behind this interface so another backend can follow.
import type { RunStatus, StepStatus } from '../events.js';

export interface RunRow {
  id: string;
  taskId: string | null;
  workflow: string;
  workflowFile: string | null;
  status: RunStatus;
  repo: string | null;
  branch: string | null;
  worktree: string | null;
  inputs: Record<string, unknown>;
  state: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: { code: string; message: string; hint?: string } | null;
  maxCostUsd: number | null;
  maxTokens: number | null;
  costUsd: number;
  tokens: number;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface StepRow {
  runId: string;
  stepId: string;
  seq: number;
  kind: string;
  status: StepStatus;
  attempt: number;
  inputs: unknown;
  outputs: unknown;
  error: { code: string; message: string } | null;
  costUsd: number;
  tokens: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface ModelCallRow {
  runId: string | null;
  stepId: string | null;
  taskId: string | null;
  workflow: string | null;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  at: string;
}

export interface EffectRow {
  key: string;
  runId: string | null;
  stepId: string | null;
  kind: string;
  status: 'pending' | 'done';
  externalId: string | null;
  result: unknown;
}

export interface AuditRow {
  id?: number;
  runId: string | null;
  stepId: string | null;
  at: string;
  actor: string;
  action: string;
  decision: string;
  detail: unknown;
}

export interface PlanRow {
  id: string;
  runId: string | null;
  idea: string;
  status: string;
  plan: unknown;
  published: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface RunFilter {
  status?: RunStatus | undefined;
  taskId?: string | undefined;
  limit?: number | undefined;
}

export interface SpendFilter {
  since?: string | undefined;
  until?: string | undefined;
  by?: 'task' | 'model' | 'workflow' | 'day' | undefined;
}

export interface SpendRow {
  key: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  calls: number;
}

/** What the budget guard sees inside its exclusive transaction. */
export interface BudgetTx {
  /** Cost and tokens of a run so far: settled calls plus open reservations. */
  runSpend(runId: string): { costUsd: number; tokens: number };
  /** Cost of a month (`YYYY-MM`, UTC) so far, across every run: settled calls plus open reservations. */
  monthSpend(month: string): number;
  reserve(input: {
    runId: string | null;
    month: string;
    costUsd: number;
    tokens: number;
    at: string;
  }): number;
  /** Drops reservations created before `before` (left by a killed process); returns how many. */
  releaseStale(before: string): number;
}

export interface Ledger {
  readonly path: string;
  close(): void;

  createRun(run: Pick<RunRow, 'id' | 'workflow' | 'startedAt'> & Partial<RunRow>): void;
  updateRun(id: string, patch: Partial<Omit<RunRow, 'id'>>): void;
  getRun(id: string): RunRow | null;
  /** Resolves a unique id prefix, like git. */
  findRun(idOrPrefix: string): RunRow | null;
  listRuns(filter?: RunFilter): RunRow[];

  /** Checkpoint: upserts one step row (in a single transaction, before the next step starts). */
  saveStep(
    step: Pick<StepRow, 'runId' | 'stepId' | 'seq' | 'kind' | 'status'> & Partial<StepRow>,
    runPatch?: Partial<Omit<RunRow, 'id'>>,
  ): void;
  listSteps(runId: string): StepRow[];

  /** Runs `fn` under an exclusive write lock (SQLite BEGIN IMMEDIATE), so concurrent reservations cannot jointly overspend. */
  withBudgetLock<T>(fn: (tx: BudgetTx) => T): T;
  /**
   * Replaces a reservation by the actual call, and adds it to the run and step totals, in one transaction.
   * The token totals (and so max_tokens_per_task) count uncached input, output and cache writes; cache reads are
   * paid for in $ but do not count against the token cap, so prompt caching never shortens a run.
   */
  settle(reservationId: number | null, call: ModelCallRow): void;
  release(reservationId: number): void;
  spend(filter?: SpendFilter): SpendRow[];
  listModelCalls(runId: string): ModelCallRow[];

  getEffect(key: string): EffectRow | null;
  beginEffect(effect: Pick<EffectRow, 'key' | 'runId' | 'stepId' | 'kind'>, at: string): EffectRow;
  completeEffect(key: string, externalId: string | null, result: unknown, at: string): void;
  listEffects(runId: string): EffectRow[];

  audit(row: Omit<AuditRow, 'id'>): void;
  listAudit(runId: string): AuditRow[];

  savePlan(plan: PlanRow): void;
  getPlan(id: string): PlanRow | null;
  listPlans(limit?: number): PlanRow[];
}
