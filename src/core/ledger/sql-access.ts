// Raw, synchronous SQL on either backend, for the few jobs that work table by table (ledger export and import) rather
// than through the Ledger interface. Placeholders are `?`; the PostgreSQL side numbers them.
import type { Dialect } from './migrations.js';
import { ledgerError, openDatabase } from './open.js';
import type { Row } from './rows.js';

export interface SqlAccess {
  readonly dialect: Dialect;
  all(sql: string, params?: unknown[]): Row[];
  /** Returns the number of rows changed. */
  run(sql: string, params?: unknown[]): number;
  transaction<T>(fn: () => T): T;
}

/** A second connection to a SQLite ledger file (WAL lets it sit beside the ledger's own). */
export function sqliteAccess(path: string): SqlAccess & { close(): void } {
  const db = openDatabase(path);
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw ledgerError(error, path);
    }
  };
  return {
    dialect: 'sqlite',
    all: (sql, params = []) => guard(() => db.prepare<unknown[]>(sql).all(...params) as Row[]),
    run: (sql, params = []) => guard(() => db.prepare<unknown[]>(sql).run(...params).changes),
    // The callback's own errors pass through unchanged (statements inside are guarded already).
    transaction: (fn) => {
      try {
        return db.transaction(fn).immediate();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw typeof code === 'string' && code.startsWith('SQLITE') ? ledgerError(error, path) : error;
      }
    },
    close: () => db.close(),
  };
}
