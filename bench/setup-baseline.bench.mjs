// Worktree setup and baseline figures (issue 14), printed, nothing asserted:
//   1. `git worktree add` alone, against worktree add + reuse of the main checkout's node_modules (20,000 files,
//      lockfile identical) by hard links (workspace.reuse: auto) and by copying (copy); target ≤ 2× worktree add.
//      The link runs in the background while the model plans, so two figures: the worktree ready for the agent (what
//      the run waits for) and node_modules complete (what the first command waits for);
//   2. the baseline's cost: the checks on the untouched base (a small node --test suite) the first time, and the
//      ledger lookup that replaces it for the next run on the same base commit.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, report } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(root, 'dist/src', p));
const { reuseDependencies } = await dist('core/workspace/reuse.js');
const { loadOrRunBaseline, baselineKey } = await dist('core/agent/baseline.js');
const { runChecks } = await dist('core/agent/verify.js');
const { createPolicy } = await dist('core/security/policy.js');
const { configSchema } = await dist('core/config/schema.js');
const { openLedger } = await dist('core/ledger/index.js');

const MODULE_FILES = 20_000;
const RUNS = 7;
export const results = [];
const identity = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, env: { ...process.env, ...identity }, stdio: 'pipe' });
const now = () => performance.now();

const dir = mkdtempSync(join(tmpdir(), 'aidev-bench-setup-'));
try {
  const main = join(dir, 'main');
  mkdirSync(main);
  const packages = {};
  for (let p = 0; p < 400; p++) packages[`node_modules/pkg-${p}`] = { version: '1.0.0' };
  const lock = JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'b' }, ...packages } }, null, 2);
  writeFileSync(join(main, 'package.json'), '{"name":"b","scripts":{"test":"node --test"}}\n');
  writeFileSync(join(main, 'package-lock.json'), lock);
  writeFileSync(join(main, '.gitignore'), 'node_modules/\n');
  mkdirSync(join(main, 'test'));
  for (let t = 0; t < 5; t++)
    writeFileSync(
      join(main, 'test', `t${t}.test.mjs`),
      `import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('t${t}', () => assert.ok(true));\n`,
    );
  git(main, 'init', '-q', '--initial-branch=main');
  git(main, 'add', '-A');
  git(main, 'commit', '-qm', 'init');
  // node_modules: 400 packages of 50 files = 20,000 files, plus npm's hidden lockfile.
  for (let p = 0; p < 400; p++) {
    const pkg = join(main, 'node_modules', `pkg-${p}`);
    mkdirSync(join(pkg, 'lib'), { recursive: true });
    for (let f = 0; f < MODULE_FILES / 400; f++)
      writeFileSync(join(pkg, 'lib', `f${f}.js`), `module.exports = ${f};\n`);
  }
  writeFileSync(join(main, 'node_modules', '.package-lock.json'), JSON.stringify({ packages }));

  const times = { add: [], hard: [], hardDone: [], copy: [], copyDone: [] };
  let n = 0;
  for (let i = 0; i < RUNS; i++) {
    for (const kind of ['add', 'hard', 'copy']) {
      const wt = join(dir, `wt-${n++}`);
      const t0 = now();
      git(main, 'worktree', 'add', '-q', '-b', `b${n}`, wt);
      if (kind !== 'add') {
        const r = await reuseDependencies({
          main,
          worktree: wt,
          setup: ['npm ci'],
          mode: kind === 'hard' ? 'auto' : 'copy',
        });
        if (!r.note) throw new Error(`not reused: ${r.reason}`);
        times[kind].push(now() - t0);
        await r.ready;
        times[`${kind}Done`].push(now() - t0);
      } else times[kind].push(now() - t0);
      rmSync(wt, { recursive: true, force: true });
      git(main, 'worktree', 'prune');
    }
  }
  const add = median(times.add);
  const figure = (k) => `${median(times[k]).toFixed(0)} ms (${(median(times[k]) / add).toFixed(2)}×)`;
  report(`worktree add + node_modules reuse (${MODULE_FILES} files)`, {
    'git worktree add': `${add.toFixed(0)} ms`,
    '+ hard link, ready for the agent': figure('hard'),
    '+ hard link, node_modules complete': figure('hardDone'),
    '+ copy, ready for the agent': figure('copy'),
    '+ copy, node_modules complete': figure('copyDone'),
    target: '≤ 2× worktree add',
  });
  results.push({
    name: 'setup reuse',
    addMs: add,
    hardReadyMs: median(times.hard),
    hardDoneMs: median(times.hardDone),
    copyReadyMs: median(times.copy),
    copyDoneMs: median(times.copyDone),
  });

  // 2. Baseline: first run on a base commit, then the cached lookup.
  const home = join(dir, 'home');
  const ledger = openLedger({ home });
  const config = configSchema.parse({ security: { sandbox: 'none' }, verify: { checks: ['node --test'] } });
  const policy = await createPolicy({ root: main, config, env: process.env, hidden: [] });
  const commit = git(main, 'rev-parse', 'HEAD').toString().trim();
  const first = [];
  const cached = [];
  for (let i = 0; i < RUNS; i++) {
    const key = baselineKey(main, `${commit}-${i}`, ['node --test'], ['npm ci']);
    for (const out of [first, cached]) {
      const t0 = now();
      await loadOrRunBaseline({
        ledger,
        key,
        commit,
        runId: 'bench',
        stepId: 'implement',
        now: () => new Date(),
        run: () => runChecks(policy, ['node --test'], { timeoutMs: 60_000, outputLimit: 20_000 }),
      });
      out.push(now() - t0);
    }
  }
  ledger.close();
  report('baseline cost (node --test, 5 files)', {
    'first run on a base commit': `${median(first).toFixed(0)} ms (one run of the checks)`,
    'cached (same base commit)': `${median(cached).toFixed(2)} ms`,
  });
  results.push({ name: 'baseline', firstMs: median(first), cachedMs: median(cached) });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
