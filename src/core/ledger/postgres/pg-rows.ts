// Row mapping for the two tables rows.ts leaves to each backend (model calls and audit). The columns and the JSON text
// columns are the same as SQLite's, so these match the SQLite backend's mapping field for field.
import { parse, type Row } from '../rows.js';
import type { AuditRow, ModelCallRow } from '../types.js';

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
