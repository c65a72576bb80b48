// The PostgreSQL ledger backend: the same synchronous Ledger as SQLite, for teams whose runs span many machines. Each
// call blocks on the worker thread that owns the `pg` connection (bridge.ts); multi-statement writes go as one batch
// inside one transaction, and the budget lock is a row lock on the month (pg-budget.ts).
import {
  encode,
  RUN_COLUMNS,
  settleStatements,
  toAudit,
  toEffect,
  toModelCall,
  toPlan,
  toRun,
  toStep,
  type Row,
} from '../rows.js';
import type { SqlAccess } from '../sql-access.js';
import type {
  AuditRow,
  BudgetTx,
  EffectRow,
  Ledger,
  ModelCallRow,
  PlanRow,
  RunFilter,
  RunRow,
  SpendFilter,
  SpendRow,
  StepRow,
} from '../types.js';
import { SyncBridge, type BridgeOptions, type QueryResult } from './bridge.js';
import { pgLedgerError } from './errors.js';
import { migratePostgres } from './migrate.js';
import { withPgBudgetLock } from './pg-budget.js';

/** `?` placeholders (as the SQLite backend writes them) → `$1…$n`. The ledger's SQL has no `?` inside literals. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export interface PgLedgerOptions extends Omit<BridgeOptions, 'connectionString'> {
  connectionString: string;
  /** The URL without its password: what messages and `ledger.path` show. */
  display: string;
}

export class PgLedger implements Ledger, SqlAccess {
  readonly path: string;
  readonly dialect = 'postgres' as const;
  readonly #bridge: SyncBridge;

  constructor(options: PgLedgerOptions) {
    this.path = options.display;
    this.#bridge = new SyncBridge(options);
    try {
      migratePostgres(this.#bridge, this.path);
    } catch (error) {
      this.#bridge.close();
      throw pgLedgerError(error, this.path);
    }
  }

  close(): void {
    this.#bridge.close();
  }

  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw pgLedgerError(error, this.path);
    }
  }

  #q(sql: string, ...params: unknown[]): QueryResult {
    return this.#guard(() => this.#bridge.call({ op: 'query', sql: numbered(sql), params })[0]!);
  }

  #tx(statements: { sql: string; params: unknown[] }[]): QueryResult[] {
    const numberedStatements = statements.map((s) => ({ sql: numbered(s.sql), params: s.params }));
    return this.#guard(() =>
      this.#bridge.call({ op: 'batch', transaction: true, statements: numberedStatements }),
    );
  }

  // ---------- SqlAccess (export/import) ----------
  all(sql: string, params: unknown[] = []): Row[] {
    return this.#q(sql, ...params).rows;
  }
  run(sql: string, params: unknown[] = []): number {
    return this.#q(sql, ...params).rowCount;
  }
  transaction<T>(fn: () => T): T {
    this.#q('BEGIN');
    try {
      const out = fn();
      this.#q('COMMIT');
      return out;
    } catch (error) {
      this.#guard(() => this.#bridge.call({ op: 'query', sql: 'ROLLBACK' }));
      throw error;
    }
  }

  // ---------- runs ----------
  createRun(run: Pick<RunRow, 'id' | 'workflow' | 'startedAt'> & Partial<RunRow>): void {
    const row = { status: 'running', updatedAt: run.startedAt, inputs: {}, state: {}, ...run };
    const entries = Object.entries(row).filter(([k]) => k !== 'id');
    const cols = ['id', ...entries.map(([k]) => RUN_COLUMNS[k as keyof typeof RUN_COLUMNS])];
    const values = [
      run.id,
      ...entries.map(([k, v]) => encode(RUN_COLUMNS[k as keyof typeof RUN_COLUMNS], v)),
    ];
    this.#q(`INSERT INTO runs (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, ...values);
  }

  updateRun(id: string, patch: Partial<Omit<RunRow, 'id'>>): void {
    const statement = runPatch(id, patch);
    if (statement) this.#q(statement.sql, ...statement.params);
  }

  getRun(id: string): RunRow | null {
    const row = this.#q('SELECT * FROM runs WHERE id = ?', id).rows[0];
    return row ? toRun(row) : null;
  }

  findRun(idOrPrefix: string): RunRow | null {
    const exact = this.getRun(idOrPrefix);
    if (exact) return exact;
    const rows = this.#q(
      "SELECT * FROM runs WHERE id LIKE ? || '%' ESCAPE '\\' LIMIT 2",
      idOrPrefix.replace(/[%_\\]/g, '\\$&'),
    ).rows;
    return rows.length === 1 ? toRun(rows[0]!) : null;
  }

  listRuns(filter: RunFilter = {}): RunRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.status) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.taskId) {
      where.push('task_id = ?');
      args.push(filter.taskId);
    }
    const sql = `SELECT * FROM runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
    return this.#q(sql, ...args, filter.limit ?? 50).rows.map(toRun);
  }

  // ---------- steps ----------
  saveStep(
    step: Pick<StepRow, 'runId' | 'stepId' | 'seq' | 'kind' | 'status'> & Partial<StepRow>,
    patch?: Partial<Omit<RunRow, 'id'>>,
  ): void {
    const statements: { sql: string; params: unknown[] }[] = [
      {
        sql: `INSERT INTO steps (run_id, step_id, seq, kind, status, attempt, inputs_json, outputs_json, error_json, started_at, finished_at, duration_ms)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (run_id, step_id) DO UPDATE SET
            status = excluded.status, attempt = excluded.attempt, seq = excluded.seq,
            inputs_json = COALESCE(excluded.inputs_json, steps.inputs_json),
            outputs_json = COALESCE(excluded.outputs_json, steps.outputs_json),
            error_json = excluded.error_json,
            started_at = COALESCE(excluded.started_at, steps.started_at),
            finished_at = excluded.finished_at, duration_ms = excluded.duration_ms`,
        params: [
          step.runId,
          step.stepId,
          step.seq,
          step.kind,
          step.status,
          step.attempt ?? 1,
          step.inputs === undefined ? null : JSON.stringify(step.inputs),
          step.outputs === undefined ? null : JSON.stringify(step.outputs),
          step.error ? JSON.stringify(step.error) : null,
          step.startedAt ?? null,
          step.finishedAt ?? null,
          step.durationMs ?? null,
        ],
      },
    ];
    const update = patch ? runPatch(step.runId, patch) : null;
    if (update) statements.push(update);
    this.#tx(statements);
  }

  listSteps(runId: string): StepRow[] {
    return this.#q('SELECT * FROM steps WHERE run_id = ? ORDER BY seq', runId).rows.map(toStep);
  }

  // ---------- budget ----------
  withBudgetLock<T>(fn: (tx: BudgetTx) => T): T {
    return this.#guard(() => withPgBudgetLock(this.#bridge, fn));
  }

  settle(reservationId: number | null, call: ModelCallRow): void {
    this.#tx(settleStatements(reservationId, call));
  }

  release(reservationId: number): void {
    this.#q('DELETE FROM reservations WHERE id = ?', reservationId);
  }

  spend(filter: SpendFilter = {}): SpendRow[] {
    const key = {
      task: "COALESCE(task_id, '(none)')",
      model: "provider || '/' || model",
      workflow: "COALESCE(workflow, '(none)')",
      day: 'substr(at, 1, 10)',
    }[filter.by ?? 'model'];
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.since) {
      where.push('at >= ?');
      args.push(filter.since);
    }
    if (filter.until) {
      where.push('at < ?');
      args.push(filter.until);
    }
    const sql = `SELECT ${key} AS key, SUM(cost_usd) AS "costUsd", SUM(input_tokens) AS "inputTokens", SUM(output_tokens) AS "outputTokens",
      SUM(cache_read_tokens) AS "cacheReadTokens", SUM(cache_write_tokens) AS "cacheWriteTokens", COUNT(*) AS calls
      FROM model_calls ${where.length ? 'WHERE ' + where.join(' AND ') : ''} GROUP BY 1 ORDER BY 2 DESC`;
    return this.#q(sql, ...args).rows as unknown as SpendRow[];
  }

  listModelCalls(runId: string): ModelCallRow[] {
    return this.#q('SELECT * FROM model_calls WHERE run_id = ? ORDER BY id', runId).rows.map(toModelCall);
  }

  // ---------- effects ----------
  getEffect(key: string): EffectRow | null {
    const row = this.#q('SELECT * FROM effects WHERE key = ?', key).rows[0];
    return row ? toEffect(row) : null;
  }

  beginEffect(effect: Pick<EffectRow, 'key' | 'runId' | 'stepId' | 'kind'>, at: string): EffectRow {
    const [, found] = this.#tx([
      {
        sql: "INSERT INTO effects (key, run_id, step_id, kind, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (key) DO NOTHING",
        params: [effect.key, effect.runId, effect.stepId, effect.kind, at],
      },
      { sql: 'SELECT * FROM effects WHERE key = ?', params: [effect.key] },
    ]);
    return toEffect(found!.rows[0]!);
  }

  completeEffect(key: string, externalId: string | null, result: unknown, at: string): void {
    this.#q(
      "UPDATE effects SET status = 'done', external_id = ?, result_json = ?, completed_at = ? WHERE key = ?",
      externalId,
      JSON.stringify(result ?? null),
      at,
      key,
    );
  }

  listEffects(runId: string): EffectRow[] {
    return this.#q('SELECT * FROM effects WHERE run_id = ? ORDER BY created_at', runId).rows.map(toEffect);
  }

  // ---------- audit ----------
  audit(row: Omit<AuditRow, 'id'>): void {
    this.#q(
      'INSERT INTO audit (run_id, step_id, at, actor, action, decision, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
      row.runId,
      row.stepId,
      row.at,
      row.actor,
      row.action,
      row.decision,
      JSON.stringify(row.detail ?? null),
    );
  }

  listAudit(runId: string): AuditRow[] {
    return this.#q('SELECT * FROM audit WHERE run_id = ? ORDER BY id', runId).rows.map(toAudit);
  }

  // ---------- plans ----------
  savePlan(plan: PlanRow): void {
    this.#q(
      `INSERT INTO plans (id, run_id, idea, status, plan_json, published_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, plan_json = excluded.plan_json, published_json = excluded.published_json, updated_at = excluded.updated_at, run_id = excluded.run_id`,
      plan.id,
      plan.runId,
      plan.idea,
      plan.status,
      JSON.stringify(plan.plan ?? null),
      JSON.stringify(plan.published ?? null),
      plan.createdAt,
      plan.updatedAt,
    );
  }

  getPlan(id: string): PlanRow | null {
    const row = this.#q('SELECT * FROM plans WHERE id = ?', id).rows[0];
    return row ? toPlan(row) : null;
  }

  listPlans(limit = 50): PlanRow[] {
    return this.#q('SELECT * FROM plans ORDER BY created_at DESC LIMIT ?', limit).rows.map(toPlan);
  }
}

function runPatch(id: string, patch: Partial<Omit<RunRow, 'id'>>): { sql: string; params: unknown[] } | null {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (!entries.length) return null;
  const sets = entries.map(([k]) => `${RUN_COLUMNS[k as keyof typeof RUN_COLUMNS]} = ?`).join(', ');
  const params = entries.map(([k, v]) => encode(RUN_COLUMNS[k as keyof typeof RUN_COLUMNS], v));
  return { sql: `UPDATE runs SET ${sets} WHERE id = ?`, params: [...params, id] };
}
