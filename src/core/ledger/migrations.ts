// Versioned schema migrations, one list for both backends. The few non-portable types are spelled per dialect
// (SQLite AUTOINCREMENT → PostgreSQL identity, REAL → DOUBLE PRECISION, INTEGER → BIGINT), so the SQLite text stays
// exactly what ledgers at user_version 1 were created with. SQLite records the version in PRAGMA user_version,
// PostgreSQL in the aidev_schema table (src/core/ledger/postgres/migrate.ts).

export type Dialect = 'sqlite' | 'postgres';

interface Types {
  /** An auto-numbered primary key. */
  serial: string;
  /** A float that sums money without losing cents (PostgreSQL REAL is only 4 bytes). */
  real: string;
  /** Token counts and durations: a run awaiting approval for a month overflows a 4-byte PostgreSQL integer. */
  int: string;
}

const TYPES: Record<Dialect, Types> = {
  sqlite: { serial: 'INTEGER PRIMARY KEY AUTOINCREMENT', real: 'REAL', int: 'INTEGER' },
  postgres: {
    serial: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
    real: 'DOUBLE PRECISION',
    int: 'BIGINT',
  },
};

const steps: readonly ((t: Types) => string)[] = [
  (t) => `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    task_id TEXT,
    workflow TEXT NOT NULL,
    workflow_file TEXT,
    status TEXT NOT NULL,
    repo TEXT,
    branch TEXT,
    worktree TEXT,
    inputs_json TEXT NOT NULL DEFAULT '{}',
    state_json TEXT NOT NULL DEFAULT '{}',
    result_json TEXT,
    error_json TEXT,
    max_cost_usd ${t.real},
    max_tokens ${t.int},
    cost_usd ${t.real} NOT NULL DEFAULT 0,
    tokens ${t.int} NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    duration_ms ${t.int}
  );
  CREATE INDEX runs_started ON runs(started_at);
  CREATE INDEX runs_task ON runs(task_id);
  CREATE INDEX runs_status ON runs(status);

  CREATE TABLE steps (
    run_id TEXT NOT NULL REFERENCES runs(id),
    step_id TEXT NOT NULL,
    seq ${t.int} NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    attempt ${t.int} NOT NULL DEFAULT 1,
    inputs_json TEXT,
    outputs_json TEXT,
    error_json TEXT,
    cost_usd ${t.real} NOT NULL DEFAULT 0,
    tokens ${t.int} NOT NULL DEFAULT 0,
    started_at TEXT,
    finished_at TEXT,
    duration_ms ${t.int},
    PRIMARY KEY (run_id, step_id)
  );

  CREATE TABLE model_calls (
    id ${t.serial},
    run_id TEXT,
    step_id TEXT,
    task_id TEXT,
    workflow TEXT,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens ${t.int} NOT NULL,
    output_tokens ${t.int} NOT NULL,
    cache_read_tokens ${t.int} NOT NULL DEFAULT 0,
    cache_write_tokens ${t.int} NOT NULL DEFAULT 0,
    cost_usd ${t.real} NOT NULL,
    month TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX model_calls_run ON model_calls(run_id);
  CREATE INDEX model_calls_month ON model_calls(month);

  CREATE TABLE reservations (
    id ${t.serial},
    run_id TEXT,
    month TEXT NOT NULL,
    cost_usd ${t.real} NOT NULL,
    tokens ${t.int} NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX reservations_run ON reservations(run_id);
  CREATE INDEX reservations_month ON reservations(month);

  CREATE TABLE effects (
    key TEXT PRIMARY KEY,
    run_id TEXT,
    step_id TEXT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    external_id TEXT,
    result_json TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT
  );
  CREATE INDEX effects_run ON effects(run_id);

  CREATE TABLE audit (
    id ${t.serial},
    run_id TEXT,
    step_id TEXT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    decision TEXT NOT NULL,
    detail_json TEXT
  );
  CREATE INDEX audit_run ON audit(run_id);

  CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    run_id TEXT,
    idea TEXT NOT NULL,
    status TEXT NOT NULL,
    plan_json TEXT,
    published_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 2: the row PostgreSQL's budget transactions lock (SELECT … FOR UPDATE), one per month, created on demand. SQLite
  // serialises reservations with BEGIN IMMEDIATE and never writes it; it exists there so both schemas stay one.
  () => `
  CREATE TABLE budget_months (
    month TEXT PRIMARY KEY
  );
  `,
];

/** The migration statements of one dialect: entry v brings a ledger from version v to v + 1. */
export function migrationsFor(dialect: Dialect): readonly string[] {
  return steps.map((step) => step(TYPES[dialect]));
}

/** The SQLite list (src/core/ledger/open.ts applies it). */
export const migrations: readonly string[] = migrationsFor('sqlite');

export const LATEST_VERSION = migrations.length;
