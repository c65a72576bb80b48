// Start-up and ledger figures of the Foundation: --version/--help vs `node -e 0`, `runs list --json` over 1,000 runs,
// and the p99 of one step-checkpoint transaction. Figures only; nothing here asserts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleaved, percentile, report } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist/bin/aidev.cjs');
const node = process.execPath;
const baseline = [node, ['-e', '0']];
const results = [];

results.push(report('aidev --version vs node -e 0', interleaved([node, [bin, '--version']], baseline, 21)));
results.push(report('aidev --help vs node -e 0', interleaved([node, [bin, '--help']], baseline, 21)));

const home = mkdtempSync(join(tmpdir(), 'aidev-bench-'));
try {
  const { SqliteLedger } = await import(join(root, 'dist/src/core/ledger/sqlite-ledger.js'));
  const ledger = new SqliteLedger(join(home, 'ledger.db'));
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 1000; i++) {
    const at = new Date(t0 + i * 60_000).toISOString();
    ledger.createRun({
      id: `r-${String(i).padStart(4, '0')}`,
      workflow: 'standard_dev',
      taskId: `TASK-${i}`,
      startedAt: at,
      status: 'succeeded',
      costUsd: 0.12,
      tokens: 4000,
      durationMs: 90_000,
    });
  }
  // p99 of one checkpoint: a step upsert plus the run-state patch, in one transaction.
  const samples = [];
  for (let i = 0; i < 5000; i++) {
    const start = process.hrtime.bigint();
    ledger.saveStep(
      {
        runId: 'r-0000',
        stepId: `s${i % 50}`,
        seq: i % 50,
        kind: 'run',
        status: 'succeeded',
        outputs: { i },
        finishedAt: '2026-01-01T00:00:00Z',
        durationMs: 1,
      },
      { state: { step: i } },
    );
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  ledger.close();
  results.push(
    report('step checkpoint transaction (µs)', {
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      n: samples.length,
    }),
  );
  const env = { ...process.env, AIDEV_HOME: home };
  results.push(
    report(
      'aidev runs list --json (1,000 runs) vs node -e 0',
      interleaved([node, [bin, 'runs', 'list', '--json'], { env, cwd: home }], [...baseline, { env }], 21),
    ),
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}

export { results };
