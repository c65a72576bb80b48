// The SQLite ledger backend. Statements are prepared once; every write is one short transaction.
import type BetterSqlite3 from 'better-sqlite3';
import { ledgerError, openDatabase, type Database } from './open.js';
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
} from './rows.js';
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
} from './types.js';

type Statement = BetterSqlite3.Statement<unknown[]>;
type CheckpointParams = {
  runId: string;
  stepId: string;
  seq: number;
  kind: string;
  status: string;
  attempt: number;
  inputs: string | null;
  outputs: string | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
};

export class SqliteLedger implements Ledger {
  readonly path: string;
  readonly #db: Database;
  readonly #stmts = new Map<string, Statement>();
  // Built once: the step upsert and the run patch commit together (the checkpoint is on the engine's hot path).
  #checkpointTx: ((p: CheckpointParams, patch: Partial<Omit<RunRow, 'id'>> | undefined) => void) | undefined;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    this.path = path;
    this.#db = openDatabase(path, options);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #stmt(sql: string): Statement {
    let stmt = this.#stmts.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare<unknown[]>(sql);
      this.#stmts.set(sql, stmt);
    }
    return stmt;
  }

  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw ledgerError(error, this.path);
    }
  }

  // ---------- runs ----------
  createRun(run: Pick<RunRow, 'id' | 'workflow' | 'startedAt'> & Partial<RunRow>): void {
    const row = { status: 'running', updatedAt: run.startedAt, inputs: {}, state: {}, ...run };
    const cols = [
      'id',
      ...Object.keys(row)
        .filter((k) => k !== 'id')
        .map((k) => RUN_COLUMNS[k as keyof typeof RUN_COLUMNS]),
    ];
    const values = [
      run.id,
      ...Object.entries(row)
        .filter(([k]) => k !== 'id')
        .map(([k, v]) => encode(RUN_COLUMNS[k as keyof typeof RUN_COLUMNS], v)),
    ];
    this.#guard(() =>
      this.#db
        .prepare(`INSERT INTO runs (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
        .run(...values),
    );
  }

  updateRun(id: string, patch: Partial<Omit<RunRow, 'id'>>): void {
    this.#guard(() => this.#updateRun(id, patch));
  }

  #updateRun(id: string, patch: Partial<Omit<RunRow, 'id'>>): void {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (!entries.length) return;
    const sets = entries.map(([k]) => `${RUN_COLUMNS[k as keyof typeof RUN_COLUMNS]} = ?`).join(', ');
    const values = entries.map(([k, v]) => encode(RUN_COLUMNS[k as keyof typeof RUN_COLUMNS], v));
    this.#stmt(`UPDATE runs SET ${sets} WHERE id = ?`).run(...values, id);
  }

  getRun(id: string): RunRow | null {
    const row = this.#guard(() => this.#stmt('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined);
    return row ? toRun(row) : null;
  }

  findRun(idOrPrefix: string): RunRow | null {
    const exact = this.getRun(idOrPrefix);
    if (exact) return exact;
    const rows = this.#guard(
      () =>
        this.#stmt("SELECT * FROM runs WHERE id LIKE ? || '%' ESCAPE '\\' LIMIT 2").all(
          idOrPrefix.replace(/[%_\\]/g, '\\$&'),
        ) as Row[],
    );
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
    return this.#guard(() => (this.#stmt(sql).all(...args, filter.limit ?? 50) as Row[]).map(toRun));
  }

  // ---------- steps ----------
  saveStep(
    step: Pick<StepRow, 'runId' | 'stepId' | 'seq' | 'kind' | 'status'> & Partial<StepRow>,
    runPatch?: Partial<Omit<RunRow, 'id'>>,
  ): void {
    const params: CheckpointParams = {
      runId: step.runId,
      stepId: step.stepId,
      seq: step.seq,
      kind: step.kind,
      status: step.status,
      attempt: step.attempt ?? 1,
      inputs: step.inputs === undefined ? null : JSON.stringify(step.inputs),
      outputs: step.outputs === undefined ? null : JSON.stringify(step.outputs),
      error: step.error ? JSON.stringify(step.error) : null,
      startedAt: step.startedAt ?? null,
      finishedAt: step.finishedAt ?? null,
      durationMs: step.durationMs ?? null,
    };
    this.#checkpointTx ??= this.#db.transaction(
      (p: CheckpointParams, patch: Partial<Omit<RunRow, 'id'>> | undefined) => {
        this.#stmt(
          `INSERT INTO steps (run_id, step_id, seq, kind, status, attempt, inputs_json, outputs_json, error_json, started_at, finished_at, duration_ms)
         VALUES (@runId, @stepId, @seq, @kind, @status, @attempt, @inputs, @outputs, @error, @startedAt, @finishedAt, @durationMs)
         ON CONFLICT (run_id, step_id) DO UPDATE SET
           status = excluded.status, attempt = excluded.attempt, seq = excluded.seq,
           inputs_json = COALESCE(excluded.inputs_json, inputs_json),
           outputs_json = COALESCE(excluded.outputs_json, outputs_json),
           error_json = excluded.error_json,
           started_at = COALESCE(excluded.started_at, started_at),
           finished_at = excluded.finished_at, duration_ms = excluded.duration_ms`,
        ).run(p);
        if (patch) this.#updateRun(p.runId, patch);
      },
    );
    const tx = this.#checkpointTx;
    this.#guard(() => tx(params, runPatch));
  }

  listSteps(runId: string): StepRow[] {
    return this.#guard(() =>
      (this.#stmt('SELECT * FROM steps WHERE run_id = ? ORDER BY seq').all(runId) as Row[]).map(toStep),
    );
  }

  // ---------- budget ----------
  withBudgetLock<T>(fn: (tx: BudgetTx) => T): T {
    const tx: BudgetTx = {
      runSpend: (runId) => {
        const settled = this.#stmt('SELECT cost_usd AS c, tokens AS t FROM runs WHERE id = ?').get(runId) as
          { c: number; t: number } | undefined;
        const held = this.#stmt(
          'SELECT COALESCE(SUM(cost_usd), 0) AS c, COALESCE(SUM(tokens), 0) AS t FROM reservations WHERE run_id = ?',
        ).get(runId) as { c: number; t: number };
        return { costUsd: (settled?.c ?? 0) + held.c, tokens: (settled?.t ?? 0) + held.t };
      },
      monthSpend: (month) => {
        const settled = this.#stmt(
          'SELECT COALESCE(SUM(cost_usd), 0) AS c FROM model_calls WHERE month = ?',
        ).get(month) as { c: number };
        const held = this.#stmt(
          'SELECT COALESCE(SUM(cost_usd), 0) AS c FROM reservations WHERE month = ?',
        ).get(month) as { c: number };
        return settled.c + held.c;
      },
      releaseStale: (before) =>
        this.#stmt('DELETE FROM reservations WHERE created_at < ?').run(before).changes,
      reserve: ({ runId, month, costUsd, tokens, at }) =>
        Number(
          this.#stmt(
            'INSERT INTO reservations (run_id, month, cost_usd, tokens, created_at) VALUES (?, ?, ?, ?, ?)',
          ).run(runId, month, costUsd, tokens, at).lastInsertRowid,
        ),
    };
    return this.#guard(() => this.#db.transaction(() => fn(tx)).immediate());
  }

  settle(reservationId: number | null, call: ModelCallRow): void {
    const write = this.#db.transaction(() => {
      for (const { sql, params } of settleStatements(reservationId, call)) this.#stmt(sql).run(...params);
    });
    this.#guard(() => write.immediate());
  }

  release(reservationId: number): void {
    this.#guard(() => this.#stmt('DELETE FROM reservations WHERE id = ?').run(reservationId));
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
    const sql = `SELECT ${key} AS key, SUM(cost_usd) AS costUsd, SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
      SUM(cache_read_tokens) AS cacheReadTokens, SUM(cache_write_tokens) AS cacheWriteTokens, COUNT(*) AS calls
      FROM model_calls ${where.length ? 'WHERE ' + where.join(' AND ') : ''} GROUP BY 1 ORDER BY costUsd DESC`;
    return this.#guard(() => this.#stmt(sql).all(...args) as SpendRow[]);
  }

  listModelCalls(runId: string): ModelCallRow[] {
    const rows = this.#guard(
      () => this.#stmt('SELECT * FROM model_calls WHERE run_id = ? ORDER BY id').all(runId) as Row[],
    );
    return rows.map(toModelCall);
  }

  // ---------- effects ----------
  getEffect(key: string): EffectRow | null {
    const row = this.#guard(
      () => this.#stmt('SELECT * FROM effects WHERE key = ?').get(key) as Row | undefined,
    );
    return row ? toEffect(row) : null;
  }

  beginEffect(effect: Pick<EffectRow, 'key' | 'runId' | 'stepId' | 'kind'>, at: string): EffectRow {
    return this.#guard(() => {
      this.#stmt(
        "INSERT INTO effects (key, run_id, step_id, kind, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (key) DO NOTHING",
      ).run(effect.key, effect.runId, effect.stepId, effect.kind, at);
      return toEffect(this.#stmt('SELECT * FROM effects WHERE key = ?').get(effect.key) as Row);
    });
  }

  completeEffect(key: string, externalId: string | null, result: unknown, at: string): void {
    this.#guard(() =>
      this.#stmt(
        "UPDATE effects SET status = 'done', external_id = ?, result_json = ?, completed_at = ? WHERE key = ?",
      ).run(externalId, JSON.stringify(result ?? null), at, key),
    );
  }

  listEffects(runId: string): EffectRow[] {
    return this.#guard(() =>
      (this.#stmt('SELECT * FROM effects WHERE run_id = ? ORDER BY created_at').all(runId) as Row[]).map(
        toEffect,
      ),
    );
  }

  // ---------- audit ----------
  audit(row: Omit<AuditRow, 'id'>): void {
    this.#guard(() =>
      this.#stmt(
        'INSERT INTO audit (run_id, step_id, at, actor, action, decision, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        row.runId,
        row.stepId,
        row.at,
        row.actor,
        row.action,
        row.decision,
        JSON.stringify(row.detail ?? null),
      ),
    );
  }

  listAudit(runId: string): AuditRow[] {
    const rows = this.#guard(
      () => this.#stmt('SELECT * FROM audit WHERE run_id = ? ORDER BY id').all(runId) as Row[],
    );
    return rows.map(toAudit);
  }

  // ---------- plans ----------
  savePlan(plan: PlanRow): void {
    this.#guard(() =>
      this.#stmt(
        `INSERT INTO plans (id, run_id, idea, status, plan_json, published_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, plan_json = excluded.plan_json, published_json = excluded.published_json, updated_at = excluded.updated_at, run_id = excluded.run_id`,
      ).run(
        plan.id,
        plan.runId,
        plan.idea,
        plan.status,
        JSON.stringify(plan.plan ?? null),
        JSON.stringify(plan.published ?? null),
        plan.createdAt,
        plan.updatedAt,
      ),
    );
  }

  getPlan(id: string): PlanRow | null {
    const row = this.#guard(() => this.#stmt('SELECT * FROM plans WHERE id = ?').get(id) as Row | undefined);
    return row ? toPlan(row) : null;
  }

  listPlans(limit = 50): PlanRow[] {
    return this.#guard(() =>
      (this.#stmt('SELECT * FROM plans ORDER BY created_at DESC LIMIT ?').all(limit) as Row[]).map(toPlan),
    );
  }
}
