// The doctor checks for the ledger backend (reachable, migrated, writable: a write inside a transaction that is rolled
// back, so nothing is left behind) and for the watch settings. doctor.ts calls ledgerAndWatchChecks once.
import type { LoadedConfig } from '../core/config/load.js';
import { AidevError } from '../core/errors.js';
import { ledgerTarget } from '../core/ledger/index.js';
import { LATEST_VERSION } from '../core/ledger/migrations.js';
import { PgLedger } from '../core/ledger/postgres/pg-ledger.js';
import { sqliteAccess, type SqlAccess } from '../core/ledger/sql-access.js';
import { ledgerSettingsOf } from '../core/ledger/url.js';
import { watchSettingsOf } from './watch.js';

export interface LedgerWatchCheck {
  name: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  hint?: string | undefined;
}

class RolledBack extends Error {}

export async function ledgerAndWatchChecks(
  loaded: LoadedConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LedgerWatchCheck[]> {
  return [ledgerCheck(loaded, env), watchCheck(loaded)];
}

function ledgerCheck(
  loaded: LoadedConfig,
  env: Readonly<Record<string, string | undefined>>,
): LedgerWatchCheck {
  let db: (SqlAccess & { close(): void }) | undefined;
  try {
    const settings = ledgerSettingsOf(loaded);
    const target = ledgerTarget({ home: loaded.home, settings, env, path: settings.sqlitePath });
    const where = target.kind === 'sqlite' ? target.path : target.display;
    db =
      target.kind === 'sqlite'
        ? sqliteAccess(target.path)
        : new PgLedger({
            connectionString: target.connectionString,
            display: target.display,
            env: target.env,
          });
    const access = db;
    try {
      access.transaction(() => {
        access.run('INSERT INTO budget_months (month) VALUES (?)', ['doctor-write-check']);
        throw new RolledBack();
      });
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
    }
    const kind = target.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    return {
      name: 'ledger backend',
      state: 'ok',
      detail: `${kind} ${where}: reachable, migrated (schema ${LATEST_VERSION}), writable`,
    };
  } catch (error) {
    const e = error instanceof AidevError ? error : new AidevError('INTERNAL', String(error));
    return { name: 'ledger backend', state: 'fail', detail: e.message, hint: e.hint };
  } finally {
    db?.close();
  }
}

function watchCheck(loaded: LoadedConfig): LedgerWatchCheck {
  // The block may exist with only defaults (interval…): watching is wanted once it names an assignee or a label.
  const block = (loaded.config as { watch?: { assignee?: unknown; label?: unknown } }).watch;
  const configured = Boolean(block?.assignee || block?.label);
  try {
    const s = watchSettingsOf(loaded.config, {});
    const filter = [s.assignee && `assignee ${s.assignee}`, s.label && `label ${s.label}`]
      .filter(Boolean)
      .join(', ');
    const tracker = loaded.config.tasks.provider;
    if (s.assignee === 'me' && tracker === 'local') {
      return {
        name: 'watch',
        state: 'warn',
        detail: `watch.assignee is "me", but the local tracker has no signed-in user`,
        hint: 'set watch.assignee to the name written in the tasks, or use watch.label',
      };
    }
    return {
      name: 'watch',
      state: 'ok',
      detail: `${tracker} tasks in todo with ${filter}, every ${s.intervalS} s, ${s.concurrency} at once`,
    };
  } catch (error) {
    const e = error instanceof AidevError ? error : new AidevError('INTERNAL', String(error));
    // Watching is optional: an absent block is only a note, a broken one a failure.
    return {
      name: 'watch',
      state: configured ? 'fail' : 'warn',
      detail: configured ? e.message : 'not configured (aidev watch is optional)',
      hint: e.hint,
    };
  }
}
