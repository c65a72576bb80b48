// `aidev ledger export|import [--file F]`: moves run history between ledgers as JSONL, so a CI runner's throwaway
// SQLite ledger can be merged into the team's PostgreSQL one (or a laptop's history carried over). Import is
// idempotent: importing the same file twice changes nothing the second time.
import { createReadStream, createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { loadConfigCached } from '../core/config/cache.js';
import { AidevError } from '../core/errors.js';
import { ledgerTarget } from '../core/ledger/index.js';
import { PgLedger } from '../core/ledger/postgres/pg-ledger.js';
import { sqliteAccess, type SqlAccess } from '../core/ledger/sql-access.js';
import {
  exportLines,
  importLines,
  TABLE_ORDER,
  type ImportReport,
  type TableName,
} from '../core/ledger/transfer.js';
import { ledgerSettingsOf } from '../core/ledger/url.js';
import { aidevVersion } from '../core/paths.js';
import { createRuntime } from '../core/runtime.js';
import type { GlobalOptions } from '../core/session.js';

export interface LedgerTransferOptions extends GlobalOptions {
  /** The JSONL file; absent: stdout (export) or stdin (import). */
  file?: string | undefined;
}

export interface LedgerExportResult {
  ledger: string;
  file: string | null;
  rows: Record<TableName, number>;
}

export interface LedgerImportResult {
  ledger: string;
  file: string | null;
  tables: ImportReport;
}

async function openAccess(
  options: GlobalOptions,
): Promise<{ db: SqlAccess; where: string; close: () => void }> {
  const loaded = await loadConfigCached(
    { cwd: options.cwd, env: options.env, configFile: options.config, overrides: options.overrides },
    { version: aidevVersion() },
  );
  const settings = ledgerSettingsOf(loaded);
  const target = ledgerTarget({ home: loaded.home, settings, env: options.env, path: settings.sqlitePath });
  if (target.kind === 'sqlite') {
    const db = sqliteAccess(target.path);
    return { db, where: target.path, close: () => db.close() };
  }
  const db = new PgLedger({
    connectionString: target.connectionString,
    display: target.display,
    env: target.env,
  });
  return { db, where: target.display, close: () => db.close() };
}

export async function runLedgerExport(
  options: LedgerTransferOptions,
  stdout: Writable,
): Promise<LedgerExportResult> {
  const { db, where, close } = await openAccess(options);
  const file = options.file ? resolve(options.cwd, options.file) : null;
  const out = file ? createWriteStream(file) : stdout;
  const rows = Object.fromEntries(TABLE_ORDER.map((t) => [t, 0])) as Record<TableName, number>;
  const at = (options.runtime ?? createRuntime({ env: options.env, cwd: options.cwd })).clock.now();
  try {
    for (const { table, text } of exportLines(db, where, at.toISOString())) {
      if (table) rows[table]++;
      // Respect backpressure: a large ledger piped into `gzip` must not pile up in memory.
      if (!out.write(text + '\n')) await new Promise<void>((done) => out.once('drain', () => done()));
    }
  } finally {
    close();
    if (file) {
      out.end();
      await finished(out);
    }
  }
  return { ledger: where, file, rows };
}

export async function runLedgerImport(
  options: LedgerTransferOptions,
  stdin: Readable,
): Promise<LedgerImportResult> {
  const file = options.file ? resolve(options.cwd, options.file) : null;
  const lines: string[] = [];
  const input = file ? createReadStream(file) : stdin;
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) lines.push(line);
  } catch (error) {
    throw new AidevError('USAGE', `cannot read ${file ?? 'stdin'}: ${(error as Error).message}`, {
      hint: 'pass the file that `aidev ledger export --file F` wrote',
      cause: error,
    });
  }
  const { db, where, close } = await openAccess(options);
  try {
    return { ledger: where, file, tables: importLines(db, lines, file ?? 'stdin') };
  } finally {
    close();
  }
}
