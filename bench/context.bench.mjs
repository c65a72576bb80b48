// Context building on a generated 20,000-file repository (issue 14): what the agent step does before its first model
// call, measured in pieces against plain `git ls-files` through the same git runner, in the same run:
//   - the file list (git ls-files, parsed and classified): target ≤ 1.5× git ls-files;
//   - the repo map's own work (ripgrep for the task's words, ranking, the outline, reading the top files' symbols);
//   - the whole context (list + map): target under 1 s, and the map inside its token budget.
// Figures only; nothing asserts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, percentile, report } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(root, 'dist/src', p));
const { listFiles } = await dist('core/workspace/files.js');
const { buildRepoMap } = await dist('core/workspace/repo-map.js');
const { gitRun } = await dist('core/git/client.js');
const { compileGlobs } = await dist('core/security/glob.js');

const FILES = 20_000;
const BUDGET = 4000; // the agent step's REPO_MAP_TOKENS
const RUNS = 15;
const BLOCKED = ['.env', '.env.*', '*.key', '*.pem', 'id_rsa*'];
export const results = [];

const base = process.env.AIDEV_BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const dir = mkdtempSync(join(base, 'aidev-context-bench-'));
const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });

try {
  // 200 packages × 100 files: source, tests, some binaries, one package the task is about.
  for (let p = 0; p < FILES / 100; p++) {
    const pkg = join(dir, 'packages', `pkg${p}`, 'src');
    mkdirSync(pkg, { recursive: true });
    for (let f = 0; f < 100; f++) {
      const name = f % 25 === 0 ? `asset${f}.png` : `module${f}.ts`;
      writeFileSync(
        join(pkg, name),
        name.endsWith('.png')
          ? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])
          : `export function handler${p}_${f}(input: string): string {\n  return input.trim();\n}\n\nexport class Service${p}_${f} {}\n`,
      );
    }
  }
  writeFileSync(
    join(dir, 'packages', 'pkg7', 'src', 'invoice-totals.ts'),
    'export function invoiceTotal(lines: number[]): number {\n  return lines.reduce((a, b) => a + b, 0);\n}\n',
  );
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'generated');

  const options = { env: process.env };
  const isBlocked = compileGlobs(BLOCKED);
  const query = 'Invoice totals ignore discounts\nThe invoiceTotal function should subtract discount lines.';
  const plain = [];
  const list = [];
  const map = [];
  const whole = [];
  let tokens = 0;
  let count = 0;
  // Warm-up: the page cache and the JIT, as in a run where git has just checked the tree out.
  await gitRun(dir, ['ls-files', '-z'], options);
  await buildRepoMap({
    root: dir,
    files: await listFiles(dir, options),
    query,
    tokenBudget: BUDGET,
    blockedGlobs: BLOCKED,
    isBlocked,
  });
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await gitRun(dir, ['ls-files', '-z'], options);
    plain.push(performance.now() - t);
    t = performance.now();
    const files = await listFiles(dir, options);
    const listed = performance.now() - t;
    list.push(listed);
    count = files.length;
    const m0 = performance.now();
    const built = await buildRepoMap({
      root: dir,
      files,
      query,
      tokenBudget: BUDGET,
      blockedGlobs: BLOCKED,
      isBlocked,
    });
    map.push(performance.now() - m0);
    whole.push(performance.now() - t);
    tokens = built.tokens;
  }
  report(`context on ${count} files`, {
    'git ls-files': `${median(plain).toFixed(1)} ms`,
    'file list': `${median(list).toFixed(1)} ms (${(median(list) / median(plain)).toFixed(2)}× ls-files; target ≤ 1.5×)`,
    "map's own work": `${median(map).toFixed(0)} ms`,
    'whole context': `${median(whole).toFixed(0)} ms, p90 ${percentile(whole, 90).toFixed(0)} ms (target < 1000 ms)`,
    'map size': `${tokens} tokens of ${BUDGET}`,
  });
  results.push({
    name: 'context',
    files: count,
    lsFilesMs: median(plain),
    listMs: median(list),
    listRatio: median(list) / median(plain),
    mapMs: median(map),
    wholeMs: median(whole),
    wholeP90Ms: percentile(whole, 90),
    mapTokens: tokens,
    budget: BUDGET,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
