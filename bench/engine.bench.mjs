// Workflow engine figures: 1,000 no-op steps through `aidev workflow run` (whole process, and the engine alone), the
// p99 of one step checkpoint (saveStep with its run patch, one SQLite transaction), and what the stream-json reporter
// costs the engine. Figures and ratios only; nothing here asserts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, percentile, report } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist/bin/aidev.cjs');
const dist = (p) => import(join(root, 'dist/src', p));
const STEPS = 1000;
const results = [];

const dir = mkdtempSync(join(tmpdir(), 'aidev-engine-bench-'));
const steps = Array.from({ length: STEPS }, (_, i) => ({
  id: `s${i}`,
  uses: 'workflow.set_outputs',
  with: { n: i },
}));
const file = join(dir, 'noop.yaml');
// Block-style YAML, as people write workflows.
const yaml = `name: noop\nsteps:\n${steps.map((s) => `  - id: ${s.id}\n    uses: ${s.uses}\n    with:\n      n: ${s.with.n}\n`).join('')}`;
writeFileSync(file, yaml);
writeFileSync(join(dir, '.aidevrc.yaml'), 'tasks:\n  provider: local\n');

try {
  // 1. The whole command, as a user runs it (process start, config, ledger, 1,000 steps with two checkpoints each).
  // Wall time is what a user waits; CPU time (user + sys, via /usr/bin/time when present) is what aidev itself costs,
  // and holds up when the machine is busy with other work.
  const times = [];
  const cpu = [];
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  for (let i = 0; i < 6; i++) {
    const env = { ...process.env, AIDEV_HOME: join(dir, `home-${i}`), CI: '1' };
    const args = [bin, 'workflow', 'run', file, '--json'];
    const t = process.hrtime.bigint();
    const r = timeBin
      ? spawnSync(timeBin, ['-f', 'cpu %U %S', process.execPath, ...args], {
          cwd: dir,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawnSync(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`workflow run exited ${r.status}: ${r.stderr}`);
    const used = /cpu ([\d.]+) ([\d.]+)/.exec(String(r.stderr));
    if (i > 0) {
      // the first warms the compile cache
      times.push(ms);
      if (used) cpu.push((Number(used[1]) + Number(used[2])) * 1000);
    }
  }
  results.push(
    report(`workflow run, ${STEPS} no-op steps (process)`, {
      medianMs: median(times),
      cpuMs: cpu.length ? median(cpu) : 'n/a',
      targetMs: 1000,
      ratioToTarget: median(times) / 1000,
      loadAvg: loadavg()[0],
    }),
  );

  // 2. The engine alone, in process, with and without the stream-json reporter.
  const { SqliteLedger } = await dist('core/ledger/sqlite-ledger.js');
  const { configSchema } = await dist('core/config/schema.js');
  const { parseWorkflow } = await dist('core/engine/loader.js');
  const { startRun } = await dist('core/engine/executor.js');
  const { autoApprover } = await dist('core/approvals.js');
  const { createReporter } = await dist('reporters/index.js');
  const { createRuntime } = await dist('core/runtime.js');
  const { silentLogger } = await dist('core/logger.js');
  const workflow = parseWorkflow(yaml, file, 'file', {
    repoRoot: dir,
    config: undefined,
    promptExists: () => true,
  }).workflow;
  const config = configSchema.parse({});
  const devNull = openSync('/dev/null', 'w');
  const sink = { write: (s) => writeSync(devNull, s) };
  let n = 0;
  const once = async (withReporter) => {
    const ledger = new SqliteLedger(join(dir, `engine-${n++}.db`));
    const reporter = withReporter
      ? await createReporter('stream-json', { stdout: sink, stderr: sink, color: false })
      : null;
    const deps = {
      ledger,
      providers: { get: () => Promise.reject(new Error('unused')), idOf: () => 'none', set() {} },
      config,
      runtime: createRuntime({ env: {}, cwd: dir }),
      logger: silentLogger,
      repoRoot: dir,
      emit: reporter ? (e) => reporter.onEvent(e) : () => {},
      approver: autoApprover,
      signal: new AbortController().signal,
    };
    const t = process.hrtime.bigint();
    const result = await startRun({ ...deps, workflow, inputs: {} });
    if (reporter) await reporter.finish(result);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    ledger.close();
    if (result.status !== 'succeeded') throw new Error(result.error?.message);
    return ms;
  };
  await once(false);
  await once(true);
  const bare = [];
  const streamed = [];
  const ratios = [];
  for (let i = 0; i < 9; i++) {
    const a = await once(false);
    const b = await once(true);
    bare.push(a);
    streamed.push(b);
    ratios.push(b / a);
  }
  results.push(
    report(`engine alone, ${STEPS} no-op steps`, {
      medianMs: median(bare),
      perStepUs: (median(bare) * 1000) / STEPS,
    }),
  );
  results.push(
    report('stream-json reporter vs no reporter', {
      medianMs: median(streamed),
      baselineMs: median(bare),
      ratio: median(ratios),
      targetRatio: 1.1,
    }),
  );

  // 3. One checkpoint: saveStep (upsert) plus its run patch, in one transaction, on a file ledger in WAL mode.
  const ledger = new SqliteLedger(join(dir, 'checkpoint.db'));
  ledger.createRun({ id: 'r-1', workflow: 'noop', startedAt: new Date().toISOString() });
  const samples = [];
  const state = { engine: { pass: {}, feedback: null }, branch: 'feature/T-1' };
  for (let i = 0; i < 20_000; i++) {
    const at = new Date().toISOString();
    const t = process.hrtime.bigint();
    ledger.saveStep(
      {
        runId: 'r-1',
        stepId: `s${i % 50}`,
        seq: i % 50,
        kind: 'uses',
        status: i % 2 ? 'succeeded' : 'running',
        attempt: 1,
        inputs: { n: i },
        outputs: i % 2 ? { n: i } : undefined,
        startedAt: at,
        finishedAt: i % 2 ? at : null,
        durationMs: i % 2 ? 1 : null,
      },
      { state, updatedAt: at },
    );
    if (i >= 1000) samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  ledger.close();
  results.push(
    report('checkpoint transaction (saveStep + run patch)', {
      p50Us: percentile(samples, 50),
      p99Us: percentile(samples, 99),
      targetP99Us: 50,
      ratioToTarget: percentile(samples, 99) / 50,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

export { results };
