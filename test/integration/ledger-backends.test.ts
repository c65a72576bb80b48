// The ledger suite, run against both backends: SQLite always, PostgreSQL when Debian's server binaries are installed
// (a real server on a loopback port in a temp dir, started here and stopped after). Without them the PostgreSQL half
// is reported as skipped, with the reason in its name.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AidevError } from '../../src/core/errors.js';
import { openLedger, type Ledger } from '../../src/core/ledger/index.js';
import { LATEST_VERSION } from '../../src/core/ledger/migrations.js';
import { PgLedger } from '../../src/core/ledger/postgres/pg-ledger.js';
import { sqliteAccess } from '../../src/core/ledger/sql-access.js';
import { findPostgres, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { repoRoot, tempDir } from '../helpers/temp.js';

const at = '2026-11-25T10:00:00.000Z';
const execFileAsync = promisify(execFile);
const postgres = findPostgres();
let server: PostgresServer | undefined;

beforeAll(async () => {
  if (postgres.ok) server = await startPostgres(postgres.bin);
}, 120_000);
afterAll(() => server?.stop());

/** One backend's fresh ledger: its env for openLedger (as the CLI gets it) and a way to bump its schema version. */
interface Fresh {
  env: Record<string, string>;
  open(): Ledger;
  bumpVersion(to: number): void;
}

interface Backend {
  name: string;
  /** How many concurrent processes the budget test starts. */
  clients: number;
  fresh(): Promise<Fresh>;
}

const home = () => tempDir();

const sqlite: Backend = {
  name: 'SQLite',
  clients: 5,
  async fresh() {
    const path = join(tempDir(), 'ledger.db');
    const env = { AIDEV_LEDGER_URL: `sqlite:${path}` };
    return {
      env,
      open: () => openLedger({ home: home(), env }),
      bumpVersion: (to) => {
        const db = sqliteAccess(path);
        db.run(`PRAGMA user_version = ${to}`);
        db.close();
      },
    };
  },
};

const pg: Backend = {
  name: postgres.ok ? 'PostgreSQL' : `PostgreSQL (skipped: ${postgres.reason})`,
  clients: 10,
  async fresh() {
    const database = await server!.createDatabase();
    const env = { AIDEV_LEDGER_URL: server!.url(database), ...server!.env };
    return {
      env,
      open: () => openLedger({ home: home(), env }),
      bumpVersion: (to) => {
        const ledger = openLedger({ home: home(), env }) as Ledger & { run(sql: string): number };
        ledger.run(`UPDATE aidev_schema SET version = ${to}`);
        ledger.close();
      },
    };
  },
};

function thrown(fn: () => unknown): AidevError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AidevError);
    return error as AidevError;
  }
  throw new Error('expected an error');
}

const client = join(repoRoot, 'test/helpers/ledger-client.ts');
function spawnClient(env: Record<string, string>, args: string[]) {
  return execFileAsync(process.execPath, ['--import', 'tsx', client, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}

for (const backend of [sqlite, pg]) {
  const skip = backend === pg && !postgres.ok;
  describe.skipIf(skip)(`ledger on ${backend.name}`, () => {
    it('migrates a new ledger to the latest version and reopens it', async () => {
      const fresh = await backend.fresh();
      const ledger = fresh.open();
      ledger.createRun({ id: 'r-1', workflow: 'standard_dev', startedAt: at, taskId: 'T-1' });
      expect(ledger.getRun('r-1')).toMatchObject({ id: 'r-1', status: 'running', taskId: 'T-1', costUsd: 0 });
      ledger.close();
      const reopened = fresh.open();
      expect(reopened.getRun('r-1')?.workflow).toBe('standard_dev');
      reopened.close();
    });

    it('checkpoints steps together with the run state, and resolves id prefixes', async () => {
      const ledger = (await backend.fresh()).open();
      ledger.createRun({ id: 'r-abc', workflow: 'w', startedAt: at });
      ledger.saveStep({
        runId: 'r-abc',
        stepId: 'a',
        seq: 0,
        kind: 'run',
        status: 'running',
        inputs: { x: 1 },
        startedAt: at,
      });
      ledger.saveStep(
        {
          runId: 'r-abc',
          stepId: 'a',
          seq: 0,
          kind: 'run',
          status: 'succeeded',
          outputs: { y: 2 },
          finishedAt: at,
          durationMs: 5,
        },
        { state: { branch: 'feature/T-1' } },
      );
      expect(ledger.listSteps('r-abc')[0]).toMatchObject({
        status: 'succeeded',
        inputs: { x: 1 },
        outputs: { y: 2 },
        durationMs: 5,
        startedAt: at,
      });
      expect(ledger.findRun('r-ab')?.state).toEqual({ branch: 'feature/T-1' });
      ledger.createRun({ id: 'r-abd', workflow: 'w', startedAt: at });
      expect(ledger.findRun('r-ab')).toBeNull(); // ambiguous prefix
      expect(ledger.findRun('r_%')).toBeNull(); // LIKE wildcards are literal
      ledger.close();
    });

    it('records an effect key before and its external id after', async () => {
      const ledger = (await backend.fresh()).open();
      const effect = { key: 'r:pr', runId: 'r', stepId: 'pr', kind: 'vcs.open_pull_request' };
      expect(ledger.beginEffect(effect, at).status).toBe('pending');
      ledger.completeEffect('r:pr', 'https://x/pull/1', { url: 'https://x/pull/1' }, at);
      expect(ledger.beginEffect({ ...effect, runId: 'other' }, at)).toMatchObject({
        runId: 'r',
        status: 'done',
        externalId: 'https://x/pull/1',
        result: { url: 'https://x/pull/1' },
      });
      expect(ledger.listEffects('r')).toHaveLength(1);
      ledger.close();
    });

    it('settles reservations into model calls and run totals', async () => {
      const ledger = (await backend.fresh()).open();
      ledger.createRun({ id: 'r', workflow: 'w', startedAt: at });
      ledger.saveStep({ runId: 'r', stepId: 's', seq: 0, kind: 'ai', status: 'running' });
      const id = ledger.withBudgetLock((tx) =>
        tx.reserve({ runId: 'r', month: '2026-11', costUsd: 0.5, tokens: 1000, at }),
      );
      expect(ledger.withBudgetLock((tx) => tx.runSpend('r'))).toEqual({ costUsd: 0.5, tokens: 1000 });
      ledger.settle(id, {
        runId: 'r',
        stepId: 's',
        taskId: 'T-1',
        workflow: 'w',
        provider: 'fake',
        model: 'm',
        inputTokens: 100,
        outputTokens: 50,
        cacheReadTokens: 10,
        cacheWriteTokens: 0,
        costUsd: 0.01,
        at,
      });
      // cache reads are paid for but do not count against the token cap
      expect(ledger.withBudgetLock((tx) => tx.runSpend('r'))).toEqual({ costUsd: 0.01, tokens: 150 });
      expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-11'))).toBeCloseTo(0.01);
      expect(ledger.listSteps('r')[0]).toMatchObject({ costUsd: 0.01, tokens: 150 });
      expect(ledger.spend({ by: 'task' })).toEqual([
        {
          key: 'T-1',
          calls: 1,
          costUsd: 0.01,
          inputTokens: 100,
          outputTokens: 50,
          cacheReadTokens: 10,
          cacheWriteTokens: 0,
        },
      ]);
      expect(ledger.spend({ by: 'day', since: '2026-12-01' })).toEqual([]);
      expect(ledger.listModelCalls('r')).toEqual([
        expect.objectContaining({ model: 'm', inputTokens: 100, costUsd: 0.01 }),
      ]);
      ledger.close();
    });

    it('releases reservations left behind by a killed process, and a released one', async () => {
      const ledger = (await backend.fresh()).open();
      ledger.withBudgetLock((tx) =>
        tx.reserve({
          runId: 'dead',
          month: '2026-11',
          costUsd: 3,
          tokens: 10,
          at: '2026-11-25T08:00:00.000Z',
        }),
      );
      const live = ledger.withBudgetLock((tx) =>
        tx.reserve({
          runId: 'live',
          month: '2026-11',
          costUsd: 1,
          tokens: 10,
          at: '2026-11-25T10:00:00.000Z',
        }),
      );
      expect(ledger.withBudgetLock((tx) => tx.releaseStale('2026-11-25T09:00:00.000Z'))).toBe(1);
      expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-11'))).toBe(1);
      ledger.release(live);
      expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-11'))).toBe(0);
      ledger.close();
    });

    it('rolls the budget transaction back when its callback throws', async () => {
      const ledger = (await backend.fresh()).open();
      expect(() =>
        ledger.withBudgetLock((tx) => {
          tx.reserve({ runId: null, month: '2026-11', costUsd: 2, tokens: 1, at });
          throw new AidevError('BUDGET_EXCEEDED', 'over');
        }),
      ).toThrow('over');
      expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-11'))).toBe(0);
      ledger.close();
    });

    it('lists runs newest first with filters, and keeps audit rows and plans', async () => {
      const ledger = (await backend.fresh()).open();
      ledger.createRun({ id: 'r-1', workflow: 'w', startedAt: '2026-11-01T00:00:00.000Z', taskId: 'T-1' });
      ledger.createRun({ id: 'r-2', workflow: 'w', startedAt: '2026-11-02T00:00:00.000Z', taskId: 'T-2' });
      ledger.updateRun('r-1', {
        status: 'succeeded',
        durationMs: 40 * 24 * 3600 * 1000,
        result: { ok: true },
      });
      expect(ledger.listRuns().map((r) => r.id)).toEqual(['r-2', 'r-1']);
      expect(ledger.listRuns({ status: 'succeeded' }).map((r) => r.id)).toEqual(['r-1']);
      expect(ledger.listRuns({ taskId: 'T-2', limit: 1 }).map((r) => r.id)).toEqual(['r-2']);
      expect(ledger.getRun('r-1')).toMatchObject({ durationMs: 40 * 24 * 3600 * 1000, result: { ok: true } });
      ledger.audit({
        runId: 'r-1',
        stepId: null,
        at,
        actor: 'me',
        action: 'approve',
        decision: 'approved',
        detail: { a: 1 },
      });
      expect(ledger.listAudit('r-1')).toEqual([expect.objectContaining({ actor: 'me', detail: { a: 1 } })]);
      const plan = {
        id: 'p-1',
        runId: null,
        idea: 'x',
        status: 'draft',
        plan: { e: 1 },
        published: null,
        createdAt: at,
        updatedAt: at,
      };
      ledger.savePlan(plan);
      ledger.savePlan({ ...plan, status: 'published' });
      expect(ledger.getPlan('p-1')).toMatchObject({ status: 'published', plan: { e: 1 } });
      expect(ledger.listPlans()).toHaveLength(1);
      ledger.close();
    });

    it('refuses, without altering, a ledger from a newer aidev', async () => {
      const fresh = await backend.fresh();
      fresh.open().close();
      fresh.bumpVersion(LATEST_VERSION + 7);
      const error = thrown(() => fresh.open());
      expect(error.code).toBe('LEDGER_TOO_NEW');
      expect(error.message).toContain(`schema ${LATEST_VERSION + 7}`);
      expect(thrown(() => fresh.open()).code).toBe('LEDGER_TOO_NEW'); // still the newer version: nothing was rewritten
    });

    it('loses no row when 5 processes open a fresh ledger and write at once', async () => {
      const fresh = await backend.fresh();
      await Promise.all([1, 2, 3, 4, 5].map((n) => spawnClient(fresh.env, ['write', `p${n}`, '60'])));
      const ledger = fresh.open();
      expect(ledger.listRuns({ limit: 5000 })).toHaveLength(300);
      expect(ledger.spend({ by: 'model' })[0]!.calls).toBe(300);
      expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-03'))).toBeCloseTo(0.3, 9);
      ledger.close();
    }, 120_000);

    it(`holds the monthly budget with ${backend.clients} concurrent clients and a model that always wants more`, async () => {
      const fresh = await backend.fresh();
      fresh.open().close(); // migrated before the clients race for the budget
      const monthly = 0.2;
      const startAt = String(Date.now() + 6000); // a common start line so the clients contend; not an assertion
      const outcomes = await Promise.all(
        Array.from({ length: backend.clients }, (_, i) =>
          spawnClient(fresh.env, [
            'budget',
            `r-client-${i}`,
            String(monthly),
            String(monthly / 3),
            startAt,
          ]).then((r) => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { calls: number; code: string }),
        ),
      );
      expect(outcomes.every((o) => o.code === 'BUDGET_EXCEEDED')).toBe(true);
      expect(outcomes.filter((o) => o.calls > 0).length).toBeGreaterThan(1);
      const ledger = fresh.open();
      const month = ledger
        .spend({ since: '2026-03-01', until: '2026-04-01' })
        .reduce((s, r) => s + r.costUsd, 0);
      process.stderr.write(
        `ledger-backends: ${backend.name} ${backend.clients} clients spent $${month.toFixed(6)} of $${monthly}\n`,
      );
      expect(month).toBeLessThanOrEqual(monthly);
      expect(month).toBeGreaterThan(monthly / 2);
      expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-03'))).toBeCloseTo(month, 10);
      ledger.close();
    }, 180_000);
  });
}

describe.skipIf(!postgres.ok)(`PostgreSQL only${postgres.ok ? '' : ` (skipped: ${postgres.reason})`}`, () => {
  it("locks the month's budget row: a second client waits for the first client's transaction", async () => {
    const database = await server!.createDatabase();
    const options = { connectionString: server!.url(database), display: database, env: server!.env };
    const first = new PgLedger(options);
    const second = new PgLedger({ ...options, lockTimeoutMs: 300 });
    const inside = first.withBudgetLock((tx) => {
      tx.monthSpend('2026-11');
      // The first transaction holds 2026-11's row: the second times out on it, but another month is free.
      const blocked = thrown(() => second.withBudgetLock((tx2) => tx2.monthSpend('2026-11')));
      const other = second.withBudgetLock((tx2) => tx2.monthSpend('2026-12'));
      return { blocked, other };
    });
    expect(inside.blocked.code).toBe('LEDGER_LOCKED');
    expect(inside.blocked.message).toContain('stayed locked');
    expect(inside.other).toBe(0);
    // Once the first commits, the row is free again.
    expect(second.withBudgetLock((tx) => tx.monthSpend('2026-11'))).toBe(0);
    first.close();
    second.close();
  });

  it('says what failed and how to fix it for a wrong password, a missing database and a closed port', async () => {
    const database = await server!.createDatabase();
    const open = (url: string, env: Record<string, string>) => () =>
      openLedger({ home: tempDir(), env: { AIDEV_LEDGER_URL: url, ...env } });
    const login = thrown(open(server!.url(database), { PGPASSWORD: 'wrong' }));
    expect(login.message).toContain('refused the login');
    expect(login.hint).toContain('PGPASSWORD');
    const missing = thrown(open(server!.url('no_such_db'), server!.env));
    expect(missing.hint).toContain('createdb');
    const closed = thrown(open(`postgres://aidev@127.0.0.1:1/${database}`, server!.env));
    expect(closed.message).toContain('cannot reach the PostgreSQL ledger postgres://aidev@127.0.0.1:1/');
    for (const e of [login, missing, closed]) expect(e.message).not.toContain(server!.password);
  });
});
