// Opens the configured ledger backend. Today SQLite; `ledger.url: postgres://…` is the planned second backend.
import { join } from 'node:path';
import { SqliteLedger } from './sqlite-ledger.js';
import type { Ledger } from './types.js';

export type { Ledger } from './types.js';

export function openLedger(options: { path?: string | undefined; home: string }): Ledger {
  return new SqliteLedger(options.path ?? join(options.home, 'ledger.db'));
}
