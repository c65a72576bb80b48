// Opens the configured ledger backend: the SQLite file (default) or PostgreSQL when ledger.url (or AIDEV_LEDGER_URL)
// is postgres://…. Both implement the same synchronous Ledger, so the engine and the budget guard never know which.
import { join } from 'node:path';
import { PgLedger } from './postgres/pg-ledger.js';
import { SqliteLedger } from './sqlite-ledger.js';
import type { Ledger } from './types.js';
import { resolveLedgerTarget, type LedgerSettings, type LedgerTarget } from './url.js';

export type { Ledger } from './types.js';

export interface OpenLedgerOptions {
  /** The SQLite file (system.ledger_path, resolved); ignored when the URL names PostgreSQL. */
  path?: string | undefined;
  home: string;
  /** ledger.url and where it came from (see ledgerSettingsOf); absent means the SQLite file. */
  settings?: LedgerSettings | undefined;
  /** The injected environment: AIDEV_LEDGER_URL and the libpq variables. Absent: SQLite only. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

export function ledgerTarget(options: OpenLedgerOptions): LedgerTarget {
  if (!options.env && !options.settings?.url)
    return { kind: 'sqlite', path: options.path ?? join(options.home, 'ledger.db') };
  return resolveLedgerTarget(
    { ...options.settings, sqlitePath: options.path ?? options.settings?.sqlitePath },
    options.env ?? {},
    options.home,
  );
}

export function openLedger(options: OpenLedgerOptions): Ledger {
  const target = ledgerTarget(options);
  if (target.kind === 'sqlite') return new SqliteLedger(target.path);
  return new PgLedger({
    connectionString: target.connectionString,
    display: target.display,
    env: target.env,
  });
}
