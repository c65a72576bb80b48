import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../../../test/helpers/temp.js';
import { AidevError } from '../errors.js';
import { LATEST_VERSION } from './migrations.js';
import { SqliteLedger } from './sqlite-ledger.js';

const at = '2026-11-25T10:00:00.000Z';

function ledgerIn(dir = tempDir()): SqliteLedger {
  return new SqliteLedger(join(dir, 'ledger.db'));
}

function thrown(fn: () => unknown): AidevError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AidevError);
    return error as AidevError;
  }
  throw new Error('expected an error');
}

describe('SqliteLedger', () => {
  it('migrates a new file to the latest version in WAL mode', () => {
    const ledger = ledgerIn();
    ledger.createRun({ id: 'r-1', workflow: 'standard_dev', startedAt: at, taskId: 'T-1' });
    expect(ledger.getRun('r-1')).toMatchObject({ id: 'r-1', status: 'running', taskId: 'T-1', costUsd: 0 });
    ledger.close();
    const reopened = new SqliteLedger(ledger.path);
    expect(reopened.getRun('r-1')?.workflow).toBe('standard_dev');
    reopened.close();
  });

  it('checkpoints steps together with the run state, and resolves id prefixes', () => {
    const ledger = ledgerIn();
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
    const [step] = ledger.listSteps('r-abc');
    expect(step).toMatchObject({
      status: 'succeeded',
      inputs: { x: 1 },
      outputs: { y: 2 },
      durationMs: 5,
      startedAt: at,
    });
    expect(ledger.findRun('r-ab')?.state).toEqual({ branch: 'feature/T-1' });
    ledger.close();
  });

  it('records an effect key before and its external id after', () => {
    const ledger = ledgerIn();
    const first = ledger.beginEffect(
      { key: 'r:pr', runId: 'r', stepId: 'pr', kind: 'vcs.open_pull_request' },
      at,
    );
    expect(first.status).toBe('pending');
    ledger.completeEffect('r:pr', 'https://x/pull/1', { url: 'https://x/pull/1' }, at);
    const again = ledger.beginEffect(
      { key: 'r:pr', runId: 'r', stepId: 'pr', kind: 'vcs.open_pull_request' },
      at,
    );
    expect(again).toMatchObject({
      status: 'done',
      externalId: 'https://x/pull/1',
      result: { url: 'https://x/pull/1' },
    });
    ledger.close();
  });

  it('settles reservations into model calls and run totals', () => {
    const ledger = ledgerIn();
    ledger.createRun({ id: 'r', workflow: 'w', startedAt: at });
    const id = ledger.withBudgetLock((tx) =>
      tx.reserve({ runId: 'r', month: '2026-11', costUsd: 0.5, tokens: 1000, at }),
    );
    expect(ledger.withBudgetLock((tx) => tx.runSpend('r'))).toEqual({ costUsd: 0.5, tokens: 1000 });
    ledger.settle(id, {
      runId: 'r',
      stepId: null,
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
    expect(ledger.spend({ by: 'task' })).toEqual([
      expect.objectContaining({ key: 'T-1', calls: 1, costUsd: 0.01 }),
    ]);
    ledger.close();
  });

  it('releases reservations left behind by a killed process', () => {
    const ledger = ledgerIn();
    ledger.withBudgetLock((tx) =>
      tx.reserve({ runId: 'dead', month: '2026-11', costUsd: 3, tokens: 10, at: '2026-11-25T08:00:00.000Z' }),
    );
    ledger.withBudgetLock((tx) =>
      tx.reserve({ runId: 'live', month: '2026-11', costUsd: 1, tokens: 10, at: '2026-11-25T10:00:00.000Z' }),
    );
    expect(ledger.withBudgetLock((tx) => tx.releaseStale('2026-11-25T09:00:00.000Z'))).toBe(1);
    expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-11'))).toBe(1);
    ledger.close();
  });

  it('refuses, without altering, a ledger from a newer aidev', () => {
    const ledger = ledgerIn();
    const path = ledger.path;
    ledger.close();
    const raw = new SqliteLedger(path);
    raw.close();
    // bump user_version behind aidev's back
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_VERSION + 7}`);
    db.close();
    const before = readFileSync(path);
    const error = thrown(() => new SqliteLedger(path));
    expect(error.code).toBe('LEDGER_TOO_NEW');
    expect(error.message).toContain(`schema ${LATEST_VERSION + 7}`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('gives a clear error for a corrupted file and leaves it in place', () => {
    const dir = tempDir();
    const path = join(dir, 'ledger.db');
    writeFileSync(path, 'this is not a database'.repeat(200));
    const error = thrown(() => new SqliteLedger(path));
    expect(error.code).toBe('LEDGER_CORRUPT');
    expect(error.hint).toContain('move it aside');
    expect(readFileSync(path, 'utf8')).toContain('this is not a database');
  });

  it('loses no row when 5 processes write at once', async () => {
    const dir = tempDir();
    const path = join(dir, 'ledger.db');
    new SqliteLedger(path).close();
    const script = `
      const { SqliteLedger } = await import(${JSON.stringify(join(repoRoot, 'dist/src/core/ledger/sqlite-ledger.js'))});
      const ledger = new SqliteLedger(process.argv[1]);
      const who = process.argv[2];
      for (let i = 0; i < 200; i++) {
        ledger.createRun({ id: who + '-' + i, workflow: 'w', startedAt: new Date().toISOString() });
        ledger.saveStep({ runId: who + '-' + i, stepId: 's', seq: 0, kind: 'run', status: 'succeeded' });
        const id = ledger.withBudgetLock((tx) => tx.reserve({ runId: who + '-' + i, month: '2026-11', costUsd: 0.001, tokens: 1, at: '2026-11-25' }));
        ledger.settle(id, { runId: who + '-' + i, stepId: 's', taskId: null, workflow: 'w', provider: 'p', model: 'm', inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.001, at: '2026-11-25T00:00:00Z' });
      }
      ledger.close();`;
    const codes = await Promise.all(
      [1, 2, 3, 4, 5].map(
        (n) =>
          new Promise<number | null>((done) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script, path, `p${n}`], {
              stdio: ['ignore', 'ignore', 'inherit'],
            });
            child.on('close', done);
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0, 0]);
    const ledger = new SqliteLedger(path);
    expect(ledger.listRuns({ limit: 5000 })).toHaveLength(1000);
    expect(ledger.spend({ by: 'model' })[0]!.calls).toBe(1000);
    expect(ledger.withBudgetLock((tx) => tx.monthSpend('2026-11'))).toBeCloseTo(1.0, 6);
    ledger.close();
  });
});
