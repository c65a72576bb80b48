// doctor's ledger-backend and watch checks: the configured backend is reached, migrated and written to (in a rolled
// back transaction), on SQLite and on a real PostgreSQL when its binaries are installed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerAndWatchChecks } from '../../src/commands/doctor-ledger-watch.js';
import { loadConfig } from '../../src/core/config/load.js';
import { openLedger } from '../../src/core/ledger/index.js';
import { findPostgres, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { tempDir } from '../helpers/temp.js';

const postgres = findPostgres();
let server: PostgresServer | undefined;
beforeAll(async () => {
  if (postgres.ok) server = await startPostgres(postgres.bin);
}, 120_000);
afterAll(() => server?.stop());

async function checks(env: Record<string, string>) {
  const cwd = tempDir();
  const full = { AIDEV_HOME: join(cwd, 'home'), AIDEV_NO_CONFIG_CACHE: '1', ...env };
  const loaded = await loadConfig({ cwd, env: full, ignoreUserConfig: true });
  return ledgerAndWatchChecks(loaded, full);
}

describe('doctor: ledger backend and watch', () => {
  it('SQLite by default: reachable, migrated, writable; watch is optional', async () => {
    const [ledger, watch] = await checks({});
    expect(ledger).toMatchObject({ name: 'ledger backend', state: 'ok' });
    expect(ledger!.detail).toMatch(/^SQLite .*ledger\.db: reachable, migrated \(schema \d+\), writable$/);
    expect(watch).toMatchObject({
      name: 'watch',
      state: 'warn',
      detail: 'not configured (aidev watch is optional)',
    });
  });

  it('a bad ledger URL fails with what to fix', async () => {
    const [ledger] = await checks({ AIDEV_LEDGER_URL: 'mysql://db/aidev' });
    expect(ledger).toMatchObject({ state: 'fail' });
    expect(ledger!.hint).toContain('postgres://');
  });

  it.skipIf(!postgres.ok)(
    `PostgreSQL: ok, and the write check leaves nothing behind${postgres.ok ? '' : ` (skipped: ${postgres.reason})`}`,
    async () => {
      const url = server!.url(await server!.createDatabase('doctor'));
      const [ledger] = await checks({ AIDEV_LEDGER_URL: url, ...server!.env });
      expect(ledger).toMatchObject({
        state: 'ok',
        detail: expect.stringMatching(
          /^PostgreSQL postgres:\/\/aidev@127\.0\.0\.1:\d+\/doctor_\w+: reachable/,
        ),
      });
      const db = openLedger({
        home: tempDir(),
        env: { AIDEV_LEDGER_URL: url, ...server!.env },
      }) as ReturnType<typeof openLedger> & {
        all(sql: string): unknown[];
      };
      expect(db.all('SELECT * FROM budget_months')).toEqual([]);
      db.close();
      const [refused] = await checks({ AIDEV_LEDGER_URL: url, PGPASSWORD: 'wrong' });
      expect(refused).toMatchObject({ state: 'fail', hint: expect.stringContaining('PGPASSWORD') });
    },
  );
});
