// Opens the SQLite ledger: WAL, busy_timeout, versioned migrations. Refuses (never alters) a ledger from a newer aidev,
// and turns a corrupted file into a clear error that leaves the file where it is.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { AidevError } from '../errors.js';
import { LATEST_VERSION, migrations } from './migrations.js';

export type Database = BetterSqlite3.Database;

const require = createRequire(import.meta.url);

export function openDatabase(
  path: string,
  options: { busyTimeoutMs?: number; walAutocheckpoint?: number } = {},
): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // better-sqlite3 is CommonJS; require keeps its load synchronous and lazy (only commands that need the ledger pay).
  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3;
  let db: Database | undefined;
  try {
    db = new Sqlite(path, { timeout: options.busyTimeoutMs ?? 10_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${options.walAutocheckpoint ?? 1000}`);
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (error) {
    db?.close();
    throw ledgerError(error, path);
  }
}

function migrate(db: Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_VERSION) {
    throw new AidevError(
      'LEDGER_TOO_NEW',
      `the ledger ${path} was written by a newer aidev (schema ${version}; this one knows ${LATEST_VERSION})`,
      {
        hint: 'upgrade aidev (npm install -g aidev@latest), or point system.ledger_path at another file; the ledger was not changed',
      },
    );
  }
  if (version === LATEST_VERSION) return;
  // BEGIN IMMEDIATE: two processes opening a fresh ledger at once must not both migrate.
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < LATEST_VERSION; v++) {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  });
  apply.immediate();
}

export function ledgerError(error: unknown, path: string): AidevError {
  if (error instanceof AidevError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT')) {
    return new AidevError(
      'LEDGER_CORRUPT',
      `the ledger ${path} is not a readable SQLite database (${code})`,
      {
        hint: `move it aside (mv "${path}" "${path}.broken") and aidev will start a new one; the old file is kept for recovery`,
        cause: error,
      },
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new AidevError('LEDGER_LOCKED', `the ledger ${path} stayed locked by another aidev process`, {
      hint: 'wait for the other run to finish, or check `aidev runs list --status running`',
      cause: error,
    });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
    return new AidevError('LEDGER_CORRUPT', `cannot open the ledger ${path} (${code})`, {
      hint: 'check that its folder exists and is writable, or set AIDEV_HOME / system.ledger_path',
      cause: error,
    });
  }
  return new AidevError('INTERNAL', `ledger error at ${path}: ${(error as Error).message}`, { cause: error });
}
