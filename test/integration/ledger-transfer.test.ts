// `aidev ledger export|import`: a runner's SQLite history merged into another ledger (SQLite, and PostgreSQL when the
// server binaries are installed), idempotently, with later states replacing earlier ones and never the reverse.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLedgerExport, runLedgerImport } from '../../src/commands/ledger.js';
import { AidevError } from '../../src/core/errors.js';
import { openLedger, type Ledger } from '../../src/core/ledger/index.js';
import { findPostgres, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { tempDir } from '../helpers/temp.js';

const at = '2026-05-02T10:00:00.000Z';
const postgres = findPostgres();
let server: PostgresServer | undefined;
beforeAll(async () => {
  if (postgres.ok) server = await startPostgres(postgres.bin);
}, 120_000);
afterAll(() => server?.stop());

function options(ledgerUrl: string, extra: Record<string, string> = {}, file?: string) {
  const cwd = tempDir();
  return {
    cwd,
    env: { AIDEV_HOME: join(cwd, 'home'), AIDEV_NO_CONFIG_CACHE: '1', AIDEV_LEDGER_URL: ledgerUrl, ...extra },
    file,
  };
}

function fill(ledger: Ledger): void {
  ledger.createRun({ id: 'r-ci-1', workflow: 'standard_dev', startedAt: at, taskId: 'AUTH-1' });
  ledger.saveStep({
    runId: 'r-ci-1',
    stepId: 'code',
    seq: 0,
    kind: 'agent',
    status: 'running',
    startedAt: at,
  });
  const id = ledger.withBudgetLock((tx) =>
    tx.reserve({ runId: 'r-ci-1', month: '2026-05', costUsd: 1, tokens: 9, at }),
  );
  ledger.settle(id, {
    runId: 'r-ci-1',
    stepId: 'code',
    taskId: 'AUTH-1',
    workflow: 'standard_dev',
    provider: 'anthropic',
    model: 'claude',
    inputTokens: 1200,
    outputTokens: 300,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.0081,
    at,
  });
  ledger.beginEffect({ key: 'r-ci-1:pr', runId: 'r-ci-1', stepId: 'pr', kind: 'vcs.open_pull_request' }, at);
  ledger.audit({
    runId: 'r-ci-1',
    stepId: null,
    at,
    actor: 'aidev',
    action: 'start',
    decision: 'ok',
    detail: null,
  });
  ledger.savePlan({
    id: 'p-1',
    runId: null,
    idea: 'i',
    status: 'draft',
    plan: {},
    published: null,
    createdAt: at,
    updatedAt: at,
  });
}

const targets: {
  name: string;
  skip: boolean;
  make(): Promise<{ url: string; env: Record<string, string> }>;
}[] = [
  {
    name: 'SQLite',
    skip: false,
    make: async () => ({ url: `sqlite:${join(tempDir(), 'team.db')}`, env: {} }),
  },
  {
    name: postgres.ok ? 'PostgreSQL' : `PostgreSQL (skipped: ${postgres.reason})`,
    skip: !postgres.ok,
    make: async () => ({ url: server!.url(await server!.createDatabase('team')), env: server!.env }),
  },
];

for (const target of targets) {
  describe.skipIf(target.skip)(`ledger export → import into ${target.name}`, () => {
    it('merges a runner ledger once, replaces older states with newer ones, and never the reverse', async () => {
      const runnerPath = join(tempDir(), 'runner.db');
      const runner = openLedger({ home: tempDir(), env: { AIDEV_LEDGER_URL: `sqlite:${runnerPath}` } });
      fill(runner);
      const file = join(tempDir(), 'runner.jsonl');
      const exported = await runLedgerExport(options(`sqlite:${runnerPath}`, {}, file), new PassThrough());
      expect(exported.rows).toEqual({ runs: 1, steps: 1, model_calls: 1, effects: 1, audit: 1, plans: 1 });
      expect(readFileSync(file, 'utf8')).not.toContain('reservations');

      const team = await target.make();
      const first = await runLedgerImport(options(team.url, team.env, file), new PassThrough());
      expect(first.tables.runs).toEqual({ inserted: 1, updated: 0, skipped: 0 });
      expect(first.tables.model_calls).toEqual({ inserted: 1, updated: 0, skipped: 0 });
      const again = await runLedgerImport(options(team.url, team.env, file), new PassThrough());
      for (const counts of Object.values(again.tables))
        expect(counts).toMatchObject({ inserted: 0, updated: 0 });

      // The runner goes on: the run finishes, the PR effect completes. The newer export replaces the older rows.
      runner.saveStep({
        runId: 'r-ci-1',
        stepId: 'code',
        seq: 0,
        kind: 'agent',
        status: 'succeeded',
        finishedAt: at,
      });
      runner.updateRun('r-ci-1', { status: 'succeeded', updatedAt: '2026-05-02T11:00:00.000Z' });
      runner.completeEffect('r-ci-1:pr', 'https://git.example/pr/7', { url: 'https://git.example/pr/7' }, at);
      runner.close();
      const newer = join(tempDir(), 'newer.jsonl');
      await runLedgerExport(options(`sqlite:${runnerPath}`, {}, newer), new PassThrough());
      const merged = await runLedgerImport(options(team.url, team.env, newer), new PassThrough());
      expect(merged.tables.runs.updated).toBe(1);
      expect(merged.tables.steps.updated).toBe(1);
      expect(merged.tables.effects.updated).toBe(1);
      // ...and the older file again changes nothing back.
      const stale = await runLedgerImport(options(team.url, team.env, file), new PassThrough());
      expect(stale.tables.runs).toEqual({ inserted: 0, updated: 0, skipped: 1 });

      const ledger = openLedger({ home: tempDir(), env: { AIDEV_LEDGER_URL: team.url, ...team.env } });
      expect(ledger.getRun('r-ci-1')).toMatchObject({
        status: 'succeeded',
        taskId: 'AUTH-1',
        costUsd: 0.0081,
      });
      expect(ledger.listSteps('r-ci-1')[0]!.status).toBe('succeeded');
      expect(ledger.getEffect('r-ci-1:pr')).toMatchObject({
        status: 'done',
        externalId: 'https://git.example/pr/7',
      });
      expect(ledger.spend({ by: 'task' })).toEqual([
        expect.objectContaining({ key: 'AUTH-1', calls: 1, costUsd: 0.0081 }),
      ]);
      expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-05'))).toBeCloseTo(0.0081, 10);
      ledger.close();
    });

    it('refuses a malformed file with its line number and imports nothing', async () => {
      const team = await target.make();
      const file = join(tempDir(), 'bad.jsonl');
      const header = JSON.stringify({ aidev: 'ledger-export', format: 1, schema: 2 });
      const run = { id: 'r-x', workflow: 'w', status: 'running', started_at: at, updated_at: at };
      writeFileSync(
        file,
        [header, JSON.stringify({ table: 'runs', row: run }), '{"table":"secrets","row":{}}'].join('\n'),
      );
      const error = await runLedgerImport(options(team.url, team.env, file), new PassThrough()).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AidevError);
      expect((error as AidevError).message).toBe(
        `${file}:3 names an unknown table "secrets" (known: runs, steps, model_calls, effects, audit, plans)`,
      );
      const ledger = openLedger({ home: tempDir(), env: { AIDEV_LEDGER_URL: team.url, ...team.env } });
      expect(ledger.getRun('r-x')).toBeNull();
      ledger.close();
    });
  });
}
