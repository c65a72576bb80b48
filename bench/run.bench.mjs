// `aidev run` figures on a generated 10,000-file repository with an instant scripted model and no checks:
//   1. orchestration overhead: the whole `aidev run` process (config, ledger, fetch, worktree, context, agent loop,
//      diff, commit, push, PR, task, docs, notify) when the model and the checks cost nothing; target < 1.5 s;
//   2. the agent's file list (git ls-files with index sizes) against a bare `git ls-files` through the same git
//      runner; target ≤ 1.2×;
//   3. `--parallel 5` of five equal tasks against the slowest of the same five run one by one; target ≤ 1.3×. Timed
//      twice: with the instant model (pure orchestration, so CPU-bound: the figure comes with the floor that the
//      machine's cores allow, total CPU / cores) and with a model that takes MODEL_MS per answer (`delay_ms`), which is
//      what a run is like with a real model, whose answers take seconds.
// Figures only; nothing asserts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, report } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist/bin/aidev.cjs');
const dist = (p) => import(join(root, 'dist/src', p));
const FILES = 10_000;
const MODEL_MS = 400;
const results = [];
const identity = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...identity },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();

// The figures are about aidev, not the disk: on a machine whose disk makes a 10,000-file checkout take seconds, a
// tmpfs (/dev/shm) keeps `git worktree add` itself from drowning everything. AIDEV_BENCH_DIR overrides the place.
const base = process.env.AIDEV_BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const dir = mkdtempSync(join(base, 'aidev-run-bench-'));
const repo = join(dir, 'repo');
const remote = join(dir, 'remote.git');
const home = join(dir, 'home');

function generate() {
  mkdirSync(repo);
  for (let d = 0; d < FILES / 100; d++) {
    mkdirSync(join(repo, 'src', `module${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) {
      writeFileSync(
        join(repo, 'src', `module${d}`, `file${f}.ts`),
        `export function f${d}_${f}(x: number): number {\n  return x + ${f};\n}\n`,
      );
    }
  }
  writeFileSync(join(repo, 'src', 'target.ts'), 'export function target(): string {\n  return "old";\n}\n');
  writeFileSync(join(repo, '.gitignore'), '.aidev/\n');
  writeFileSync(join(repo, '.aidevrc.yaml'), 'ai:\n  provider: fake\nverify:\n  checks: []\n');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'generated');
  git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  git(repo, 'remote', 'add', 'origin', remote);
  git(repo, 'push', '-q', 'origin', 'main');
  git(repo, 'remote', 'set-head', 'origin', 'main');
}

function task(id) {
  mkdirSync(join(repo, '.aidev', 'tasks'), { recursive: true });
  writeFileSync(
    join(repo, '.aidev', 'tasks', `${id}.md`),
    `---\nid: ${id}\ntitle: target returns new\nstatus: todo\n---\n\nMake target() return "new".\n`,
  );
}

// standard_dev's model calls: plan, three agent turns, PR description, docs page. Instant, or MODEL_MS each.
const answers = [
  { text: 'Change target.' },
  { tool: 'read_file', input: { path: 'src/target.ts' } },
  { tool: 'edit_file', input: { path: 'src/target.ts', old_string: '"old"', new_string: '"new"' } },
  { tool: 'finish', input: { summary: 'target returns new' } },
  { text: 'PR body' },
  { text: '# target\n\nReturns new.' },
];
const script = join(dir, 'script.jsonl');
const slowScript = join(dir, 'slow-script.jsonl');
const jsonl = (lines) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
writeFileSync(script, jsonl(answers));
writeFileSync(slowScript, jsonl(answers.map((a) => ({ ...a, delay_ms: MODEL_MS }))));

// GNU time, when there is one, reports the CPU the run and its git children used.
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const cpuFile = join(dir, 'cpu.txt');

function aidevRun(ids, extra = [], responses = script) {
  const env = { ...process.env, ...identity, AIDEV_HOME: home, CI: '1', NO_COLOR: '1' };
  const args = [bin, 'run', ...ids, '--yes', '--json', '--fake-responses', responses, ...extra];
  const t = process.hrtime.bigint();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...args], {
        cwd: repo,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawnSync(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`aidev run ${ids.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpuMs = timeBin
    ? readFileSync(cpuFile, 'utf8')
        .trim()
        .split(/\s+/)
        .slice(-2)
        .reduce((sum, s) => sum + Number(s) * 1000, 0)
    : null;
  return { ms, cpuMs, result: JSON.parse(r.stdout.toString()) };
}

let n = 0;
const fresh = () => {
  const id = `TASK-${++n}`;
  task(id);
  return id;
};

try {
  generate();

  // 1. Orchestration overhead, whole process. The first run warms the compile cache and the file system.
  aidevRun([fresh()]);
  const times = [];
  let steps = [];
  for (let i = 0; i < 5; i++) {
    const { ms, result } = aidevRun([fresh()]);
    times.push(ms);
    steps = result.steps;
  }
  const slow = steps
    .filter((s) => (s.durationMs ?? 0) >= 20)
    .map((s) => `${s.id}:${Math.round(s.durationMs)}`)
    .join(',');
  // The one thing in there that is git's own work on 10,000 files: the worktree checkout, measured alone.
  const checkout = [];
  for (let i = 0; i < 3; i++) {
    const wt = join(dir, `wt-${i}`);
    const t = process.hrtime.bigint();
    git(repo, 'worktree', 'add', '-q', '--no-track', '-b', `bench-${i}`, wt, 'origin/main');
    checkout.push(Number(process.hrtime.bigint() - t) / 1e6);
    git(repo, 'worktree', 'remove', '--force', wt);
  }
  results.push(
    report(`aidev run, ${FILES} files, instant model`, {
      medianMs: median(times),
      maxMs: Math.max(...times),
      targetMs: 1500,
      ratioToTarget: median(times) / 1500,
      worktreeAddMs: median(checkout),
      slowSteps: slow || '-',
      where: base,
    }),
  );

  // 2. The agent's file list (the repo map's input) against plain `git ls-files`, through the same git runner.
  const { listFiles } = await dist('core/workspace/files.js');
  const { gitRun } = await dist('core/git/client.js');
  const options = { env: process.env };
  const ours = [];
  const plain = [];
  const ratios = [];
  await listFiles(repo, options);
  await gitRun(repo, ['ls-files', '-z'], options);
  let count = 0;
  for (let i = 0; i < 21; i++) {
    let t = process.hrtime.bigint();
    count = (await listFiles(repo, options)).length;
    const a = Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint();
    await gitRun(repo, ['ls-files', '-z'], options);
    const b = Number(process.hrtime.bigint() - t) / 1e6;
    ours.push(a);
    plain.push(b);
    ratios.push(a / b);
  }
  results.push(
    report(`file list (${count} files) vs git ls-files`, {
      medianMs: median(ours),
      baselineMs: median(plain),
      ratio: median(ratios),
      target: 1.2,
    }),
  );

  // 3. --parallel 5 against the slowest of the same five tasks run one by one, with an instant and a slow model.
  for (const [label, responses] of [
    ['instant model', script],
    [`model ${MODEL_MS} ms per answer`, slowScript],
  ]) {
    const singles = [];
    for (let i = 0; i < 5; i++) singles.push(aidevRun([fresh()], [], responses).ms);
    const batch = Array.from({ length: 5 }, fresh);
    const parallel = aidevRun(batch, ['--parallel', '5'], responses);
    const slowest = Math.max(...singles);
    results.push(
      report(`--parallel 5 vs slowest single, ${label}`, {
        parallelMs: parallel.ms,
        slowestSingleMs: slowest,
        ratio: parallel.ms / slowest,
        target: 1.3,
        cpus: cpus().length,
        // The best ratio this machine allows: the batch's CPU spread over every core.
        cpuFloorRatio: parallel.cpuMs === null ? '-' : parallel.cpuMs / cpus().length / slowest,
      }),
    );
  }
} finally {
  // The runs' settled worktrees are still being deleted by detached `rm -rf`s; Node's rmSync of the parent returns
  // without an error but leaves it behind while they work, so look and try again (bounded).
  for (let i = 0; i < 40 && existsSync(dir); i++) {
    rmSync(dir, { recursive: true, force: true });
    if (existsSync(dir)) await new Promise((r) => setTimeout(r, 50));
  }
}

export { results };
