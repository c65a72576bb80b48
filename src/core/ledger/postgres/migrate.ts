// Applies the shared migration list (PostgreSQL dialect) in one transaction under an advisory lock, so two runners that
// open a fresh database at once never both migrate. The version lives in aidev_schema; a newer one is refused, untouched.
import { AidevError } from '../../errors.js';
import { LATEST_VERSION, migrationsFor } from '../migrations.js';
import type { SyncBridge } from './bridge.js';

/** Any fixed number: the key of the transaction-scoped advisory lock that serialises migrations. */
const MIGRATION_LOCK = 0x41494445; // "AIDE"

export function migratePostgres(bridge: SyncBridge, where: string): number {
  bridge.call({
    op: 'batch',
    transaction: false,
    statements: [
      { sql: 'BEGIN' },
      { sql: 'SELECT pg_advisory_xact_lock($1)', params: [MIGRATION_LOCK] },
      { sql: 'CREATE TABLE IF NOT EXISTS aidev_schema (version INTEGER NOT NULL)' },
    ],
  });
  try {
    const found = bridge.call({ op: 'query', sql: 'SELECT version FROM aidev_schema' })[0]!.rows[0];
    const version = found ? Number(found.version) : 0;
    if (version > LATEST_VERSION) {
      throw new AidevError(
        'LEDGER_TOO_NEW',
        `the ledger ${where} was written by a newer aidev (schema ${version}; this one knows ${LATEST_VERSION})`,
        { hint: 'upgrade aidev (npm install -g aidev@latest) on this machine; the ledger was not changed' },
      );
    }
    const list = migrationsFor('postgres');
    const statements = list.slice(version).map((sql) => ({ sql }));
    if (statements.length) {
      statements.push(
        found
          ? { sql: `UPDATE aidev_schema SET version = ${LATEST_VERSION}` }
          : { sql: `INSERT INTO aidev_schema (version) VALUES (${LATEST_VERSION})` },
      );
      bridge.call({ op: 'batch', transaction: false, statements });
    }
    bridge.call({ op: 'query', sql: 'COMMIT' });
    return version;
  } catch (error) {
    try {
      bridge.call({ op: 'query', sql: 'ROLLBACK' });
    } catch {
      // the connection is gone; the server rolled back with it
    }
    throw error;
  }
}
