// Ledger history as JSONL, to move between ledgers (a CI runner's throwaway SQLite file into the team's PostgreSQL).
// One header line, then one {"table", "row"} line per row with the raw columns. Import is idempotent: rows with a
// primary key are matched by it (a newer run or plan, or a completed effect, replaces the older copy); model calls and
// audit rows have only a per-ledger counter as key, so they are matched by their whole content instead.
import { AidevError } from '../errors.js';
import { LATEST_VERSION } from './migrations.js';
import type { Row } from './rows.js';
import type { SqlAccess } from './sql-access.js';

interface TableSpec {
  columns: readonly string[];
  /** Primary key columns; empty: matched by content. */
  key: readonly string[];
  order: string;
}

export const TABLES: Record<string, TableSpec> = {
  runs: {
    columns: [
      'id',
      'task_id',
      'workflow',
      'workflow_file',
      'status',
      'repo',
      'branch',
      'worktree',
      'inputs_json',
      'state_json',
      'result_json',
      'error_json',
      'max_cost_usd',
      'max_tokens',
      'cost_usd',
      'tokens',
      'started_at',
      'updated_at',
      'finished_at',
      'duration_ms',
    ],
    key: ['id'],
    order: 'started_at, id',
  },
  steps: {
    columns: [
      'run_id',
      'step_id',
      'seq',
      'kind',
      'status',
      'attempt',
      'inputs_json',
      'outputs_json',
      'error_json',
      'cost_usd',
      'tokens',
      'started_at',
      'finished_at',
      'duration_ms',
    ],
    key: ['run_id', 'step_id'],
    order: 'run_id, seq',
  },
  model_calls: {
    columns: [
      'run_id',
      'step_id',
      'task_id',
      'workflow',
      'provider',
      'model',
      'input_tokens',
      'output_tokens',
      'cache_read_tokens',
      'cache_write_tokens',
      'cost_usd',
      'month',
      'at',
    ],
    key: [],
    order: 'id',
  },
  effects: {
    columns: [
      'key',
      'run_id',
      'step_id',
      'kind',
      'status',
      'external_id',
      'result_json',
      'created_at',
      'completed_at',
    ],
    key: ['key'],
    order: 'created_at, key',
  },
  audit: {
    columns: ['run_id', 'step_id', 'at', 'actor', 'action', 'decision', 'detail_json'],
    key: [],
    order: 'id',
  },
  plans: {
    columns: ['id', 'run_id', 'idea', 'status', 'plan_json', 'published_json', 'created_at', 'updated_at'],
    key: ['id'],
    order: 'created_at, id',
  },
};

/** Parents first: steps reference runs. Reservations are not history (they expire) and are not moved. */
export const TABLE_ORDER = ['runs', 'steps', 'model_calls', 'effects', 'audit', 'plans'] as const;
export type TableName = (typeof TABLE_ORDER)[number];

export interface Counts {
  inserted: number;
  updated: number;
  skipped: number;
}
export type ImportReport = Record<TableName, Counts>;

/** The header line (table null), then each row's line. */
export function* exportLines(
  db: SqlAccess,
  source: string,
  at: string,
): Generator<{ table: TableName | null; text: string }> {
  const header = { aidev: 'ledger-export', format: 1, schema: LATEST_VERSION, source, exported_at: at };
  yield { table: null, text: JSON.stringify(header) };
  for (const table of TABLE_ORDER) {
    const spec = TABLES[table]!;
    for (const row of db.all(`SELECT ${spec.columns.join(', ')} FROM ${table} ORDER BY ${spec.order}`))
      yield { table, text: JSON.stringify({ table, row }) };
  }
}

/** Applies JSONL lines in one transaction: a bad line anywhere leaves the ledger as it was. */
export function importLines(db: SqlAccess, lines: Iterable<string>, file: string): ImportReport {
  const report = Object.fromEntries(
    TABLE_ORDER.map((t) => [t, { inserted: 0, updated: 0, skipped: 0 }]),
  ) as ImportReport;
  const replacedRuns = new Set<string>();
  db.transaction(() => {
    let n = 0;
    let header = false;
    for (const line of lines) {
      n++;
      if (!line.trim()) continue;
      const parsed = parseLine(line, file, n);
      if (!header) {
        checkHeader(parsed, file, n);
        header = true;
        continue;
      }
      const { table, row } = checkRow(parsed, file, n);
      let outcome: keyof Counts;
      try {
        outcome = applyRow(db, table, row, replacedRuns);
      } catch (error) {
        throw bad(file, n, `could not be written to ${table}: ${(error as Error).message}`);
      }
      report[table][outcome]++;
      if (table === 'runs' && outcome !== 'skipped') replacedRuns.add(String(row.id));
    }
    if (!header) throw bad(file, 0, 'is empty: no ledger export header');
  });
  return report;
}

function applyRow(db: SqlAccess, table: TableName, row: Row, replacedRuns: Set<string>): keyof Counts {
  const spec = TABLES[table]!;
  // Only the columns the line has: a missing one takes the table's default rather than a NULL it may refuse.
  const cols = spec.columns.filter((c) => row[c] !== undefined);
  const values = cols.map((c) => row[c]);
  const insert = () =>
    db.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, values);
  if (!spec.key.length) {
    const same = spec.columns.map((c) => `${c} IS NOT DISTINCT FROM ?`).join(' AND ');
    const all = spec.columns.map((c) => row[c] ?? null);
    if (db.all(`SELECT 1 AS found FROM ${table} WHERE ${same} LIMIT 1`, all).length) return 'skipped';
    insert();
    return 'inserted';
  }
  const where = spec.key.map((k) => `${k} = ?`).join(' AND ');
  const keyValues = spec.key.map((k) => row[k] ?? null);
  const existing = db.all(`SELECT * FROM ${table} WHERE ${where}`, keyValues)[0];
  if (!existing) {
    insert();
    return 'inserted';
  }
  if (!replaces(table, existing, row, replacedRuns)) return 'skipped';
  const rest = cols.filter((c) => !spec.key.includes(c));
  db.run(`UPDATE ${table} SET ${rest.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`, [
    ...rest.map((c) => row[c] ?? null),
    ...keyValues,
  ]);
  return 'updated';
}

/** Whether an imported row is a later state of one the ledger has: never an older one over a newer one. */
function replaces(table: TableName, existing: Row, incoming: Row, replacedRuns: Set<string>): boolean {
  switch (table) {
    case 'runs':
    case 'plans':
      return text(incoming.updated_at) > text(existing.updated_at);
    case 'steps':
      return replacedRuns.has(String(incoming.run_id));
    case 'effects':
      return existing.status === 'pending' && incoming.status === 'done';
    default:
      return false;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function parseLine(line: string, file: string, n: number): Record<string, unknown> {
  try {
    const value = JSON.parse(line) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below with the line number
  }
  throw bad(file, n, 'is not a JSON object');
}

function checkHeader(value: Record<string, unknown>, file: string, n: number): void {
  if (value.aidev !== 'ledger-export')
    throw bad(file, n, 'does not start with an aidev ledger export header');
  if (typeof value.schema === 'number' && value.schema > LATEST_VERSION) {
    throw new AidevError(
      'LEDGER_TOO_NEW',
      `${file} was exported by a newer aidev (schema ${value.schema}; this one knows ${LATEST_VERSION})`,
      { hint: 'import it with the aidev that exported it, or upgrade this one' },
    );
  }
}

function checkRow(value: Record<string, unknown>, file: string, n: number): { table: TableName; row: Row } {
  const table = value.table;
  if (typeof table !== 'string' || !(TABLE_ORDER as readonly string[]).includes(table))
    throw bad(file, n, `names an unknown table "${String(table)}" (known: ${TABLE_ORDER.join(', ')})`);
  const row = value.row;
  if (!row || typeof row !== 'object' || Array.isArray(row)) throw bad(file, n, 'has no "row" object');
  const spec = TABLES[table]!;
  const unknown = Object.keys(row).filter((c) => !spec.columns.includes(c));
  if (unknown.length) throw bad(file, n, `has unknown ${table} columns: ${unknown.join(', ')}`);
  for (const k of spec.key)
    if ((row as Row)[k] === undefined || (row as Row)[k] === null) throw bad(file, n, `has no ${table}.${k}`);
  return { table: table as TableName, row: row as Row };
}

function bad(file: string, line: number, what: string): AidevError {
  return new AidevError('USAGE', `${file}${line ? `:${line}` : ''} ${what}`, {
    hint: 'import takes the JSONL that `aidev ledger export` writes; nothing was imported',
  });
}
