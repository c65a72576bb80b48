// The budget transaction on PostgreSQL: one transaction in which each month's budget_months row is locked (SELECT … FOR
// UPDATE, the row created on demand) before that month's spend is read, so concurrent clients queue on the row and
// can never jointly overspend. Each sum is one statement, so it sees one snapshot: a settle() committing between two
// reads could otherwise move a cost from reservations to model_calls unseen.
import type { BudgetTx } from '../types.js';
import type { SyncBridge } from './bridge.js';

export function withPgBudgetLock<T>(bridge: SyncBridge, fn: (tx: BudgetTx) => T): T {
  const locked = new Set<string>();
  const one = (sql: string, params: unknown[]) => bridge.call({ op: 'query', sql, params })[0]!;
  const lockMonth = (month: string) => {
    if (locked.has(month)) return;
    bridge.call({
      op: 'batch',
      transaction: false,
      statements: [
        {
          sql: 'INSERT INTO budget_months (month) VALUES ($1) ON CONFLICT (month) DO NOTHING',
          params: [month],
        },
        { sql: 'SELECT month FROM budget_months WHERE month = $1 FOR UPDATE', params: [month] },
      ],
    });
    locked.add(month);
  };
  const tx: BudgetTx = {
    runSpend: (runId) => {
      // Locking the run's row too keeps the run caps exact should two processes ever reserve for one run.
      const row = one(
        `SELECT COALESCE((SELECT cost_usd FROM runs WHERE id = $1 FOR UPDATE), 0)
              + COALESCE((SELECT SUM(cost_usd) FROM reservations WHERE run_id = $1), 0) AS c,
                COALESCE((SELECT tokens FROM runs WHERE id = $1), 0)
              + COALESCE((SELECT SUM(tokens) FROM reservations WHERE run_id = $1), 0) AS t`,
        [runId],
      ).rows[0]!;
      return { costUsd: Number(row.c), tokens: Number(row.t) };
    },
    monthSpend: (month) => {
      lockMonth(month);
      const row = one(
        `SELECT COALESCE((SELECT SUM(cost_usd) FROM model_calls WHERE month = $1), 0)
              + COALESCE((SELECT SUM(cost_usd) FROM reservations WHERE month = $1), 0) AS c`,
        [month],
      ).rows[0]!;
      return Number(row.c);
    },
    reserve: ({ runId, month, costUsd, tokens, at }) => {
      lockMonth(month);
      const row = one(
        'INSERT INTO reservations (run_id, month, cost_usd, tokens, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [runId, month, costUsd, tokens, at],
      ).rows[0]!;
      return Number(row.id);
    },
    releaseStale: (before) => one('DELETE FROM reservations WHERE created_at < $1', [before]).rowCount,
  };
  bridge.call({ op: 'query', sql: 'BEGIN' });
  let result: T;
  try {
    result = fn(tx);
  } catch (error) {
    try {
      bridge.call({ op: 'query', sql: 'ROLLBACK' });
    } catch {
      // a broken connection has rolled back already
    }
    throw error;
  }
  bridge.call({ op: 'query', sql: 'COMMIT' });
  return result;
}
