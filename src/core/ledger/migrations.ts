// Versioned schema migrations, applied through PRAGMA user_version. Plain portable SQL (no SQLite-only types beyond
// what PostgreSQL also accepts), so a second backend can replay the same list.

export const migrations: readonly string[] = [
  `
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
    max_cost_usd REAL,
    max_tokens INTEGER,
    cost_usd REAL NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    duration_ms INTEGER
  );
  CREATE INDEX runs_started ON runs(started_at);
  CREATE INDEX runs_task ON runs(task_id);
  CREATE INDEX runs_status ON runs(status);

  CREATE TABLE steps (
    run_id TEXT NOT NULL REFERENCES runs(id),
    step_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 1,
    inputs_json TEXT,
    outputs_json TEXT,
    error_json TEXT,
    cost_usd REAL NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,
    started_at TEXT,
    finished_at TEXT,
    duration_ms INTEGER,
    PRIMARY KEY (run_id, step_id)
  );

  CREATE TABLE model_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT,
    step_id TEXT,
    task_id TEXT,
    workflow TEXT,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL,
    month TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX model_calls_run ON model_calls(run_id);
  CREATE INDEX model_calls_month ON model_calls(month);

  CREATE TABLE reservations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT,
    month TEXT NOT NULL,
    cost_usd REAL NOT NULL,
    tokens INTEGER NOT NULL,
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
];

export const LATEST_VERSION = migrations.length;
