// Row mapping between the ledger tables and its typed rows (snake_case columns, JSON text columns), shared by the
// SQLite and PostgreSQL backends, whose columns are the same.
import type { RunStatus, StepStatus } from '../events.js';
import type { AuditRow, EffectRow, ModelCallRow, PlanRow, RunRow, StepRow } from './types.js';

export type Row = Record<string, unknown>;

export const RUN_COLUMNS: Record<keyof Omit<RunRow, 'id'>, string> = {
  taskId: 'task_id',
  workflow: 'workflow',
  workflowFile: 'workflow_file',
  status: 'status',
  repo: 'repo',
  branch: 'branch',
  worktree: 'worktree',
  inputs: 'inputs_json',
  state: 'state_json',
  result: 'result_json',
  error: 'error_json',
  maxCostUsd: 'max_cost_usd',
  maxTokens: 'max_tokens',
  costUsd: 'cost_usd',
  tokens: 'tokens',
  startedAt: 'started_at',
  updatedAt: 'updated_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
};
export const JSON_COLUMNS = new Set([
  'inputs_json',
  'state_json',
  'result_json',
  'error_json',
  'inputs_json',
  'outputs_json',
  'detail_json',
  'plan_json',
  'published_json',
]);

export function encode(column: string, value: unknown): unknown {
  if (value === undefined) return null;
  if (JSON_COLUMNS.has(column)) return value === null ? null : JSON.stringify(value);
  return value;
}

export function parse(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : null;
}

export function toRun(r: Row): RunRow {
  return {
    id: r.id as string,
    taskId: r.task_id as string | null,
    workflow: r.workflow as string,
    workflowFile: r.workflow_file as string | null,
    status: r.status as RunStatus,
    repo: r.repo as string | null,
    branch: r.branch as string | null,
    worktree: r.worktree as string | null,
    inputs: (parse(r.inputs_json) ?? {}) as Record<string, unknown>,
    state: (parse(r.state_json) ?? {}) as Record<string, unknown>,
    result: parse(r.result_json) as RunRow['result'],
    error: parse(r.error_json) as RunRow['error'],
    maxCostUsd: r.max_cost_usd as number | null,
    maxTokens: r.max_tokens as number | null,
    costUsd: r.cost_usd as number,
    tokens: r.tokens as number,
    startedAt: r.started_at as string,
    updatedAt: r.updated_at as string,
    finishedAt: r.finished_at as string | null,
    durationMs: r.duration_ms as number | null,
  };
}

export function toStep(r: Row): StepRow {
  return {
    runId: r.run_id as string,
    stepId: r.step_id as string,
    seq: r.seq as number,
    kind: r.kind as string,
    status: r.status as StepStatus,
    attempt: r.attempt as number,
    inputs: parse(r.inputs_json),
    outputs: parse(r.outputs_json),
    error: parse(r.error_json) as StepRow['error'],
    costUsd: r.cost_usd as number,
    tokens: r.tokens as number,
    startedAt: r.started_at as string | null,
    finishedAt: r.finished_at as string | null,
    durationMs: r.duration_ms as number | null,
  };
}

export function toEffect(r: Row): EffectRow {
  return {
    key: r.key as string,
    runId: r.run_id as string | null,
    stepId: r.step_id as string | null,
    kind: r.kind as string,
    status: r.status as EffectRow['status'],
    externalId: r.external_id as string | null,
    result: parse(r.result_json),
  };
}

export function toPlan(r: Row): PlanRow {
  return {
    id: r.id as string,
    runId: r.run_id as string | null,
    idea: r.idea as string,
    status: r.status as string,
    plan: parse(r.plan_json),
    published: parse(r.published_json),
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

export function toModelCall(r: Row): ModelCallRow {
  return {
    runId: r.run_id as string | null,
    stepId: r.step_id as string | null,
    taskId: r.task_id as string | null,
    workflow: r.workflow as string | null,
    provider: r.provider as string,
    model: r.model as string,
    inputTokens: r.input_tokens as number,
    outputTokens: r.output_tokens as number,
    cacheReadTokens: r.cache_read_tokens as number,
    cacheWriteTokens: r.cache_write_tokens as number,
    costUsd: r.cost_usd as number,
    at: r.at as string,
  };
}

export function toAudit(r: Row): AuditRow {
  return {
    id: r.id as number,
    runId: r.run_id as string | null,
    stepId: r.step_id as string | null,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as string,
    decision: r.decision as string,
    detail: parse(r.detail_json),
  };
}

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * The writes that replace a reservation by the actual model call, shared by both backends so they bill alike.
 * Token totals count uncached input, output and cache writes: cache reads are paid in $ but never shorten a run.
 */
export function settleStatements(reservationId: number | null, call: ModelCallRow): SqlStatement[] {
  const tokens = call.inputTokens + call.outputTokens + call.cacheWriteTokens;
  const statements: SqlStatement[] = [];
  if (reservationId !== null)
    statements.push({ sql: 'DELETE FROM reservations WHERE id = ?', params: [reservationId] });
  statements.push({
    sql: `INSERT INTO model_calls (run_id, step_id, task_id, workflow, provider, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, month, at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [
      call.runId,
      call.stepId,
      call.taskId,
      call.workflow,
      call.provider,
      call.model,
      call.inputTokens,
      call.outputTokens,
      call.cacheReadTokens,
      call.cacheWriteTokens,
      call.costUsd,
      call.at.slice(0, 7),
      call.at,
    ],
  });
  if (call.runId) {
    statements.push({
      sql: 'UPDATE runs SET cost_usd = cost_usd + ?, tokens = tokens + ?, updated_at = ? WHERE id = ?',
      params: [call.costUsd, tokens, call.at, call.runId],
    });
    if (call.stepId)
      statements.push({
        sql: 'UPDATE steps SET cost_usd = cost_usd + ?, tokens = tokens + ? WHERE run_id = ? AND step_id = ?',
        params: [call.costUsd, tokens, call.runId, call.stepId],
      });
  }
  return statements;
}
