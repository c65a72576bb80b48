// workspace.reuse through a whole `aidev run` (issue 14): the main checkout's node_modules stands in for `npm ci` when
// the lockfile is identical. The link runs in the background while the model plans; the baseline and the checks,
// which need the dependency, wait for it; node_modules never lands in the commit, even when .gitignore misses it.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRun, type RunSummary } from '../../src/commands/run.js';
import { autoApprover } from '../../src/core/approvals.js';
import { openLedger } from '../../src/core/ledger/index.js';
import { gitEnvForTests, makeRepo, writeScript, type TempRepo } from './run-fixtures.js';

const LOCK = JSON.stringify({
  name: 'calc',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'calc', dependencies: { 'tiny-label': '1.0.0' } },
    'node_modules/tiny-label': { version: '1.0.0' },
  },
});

const FILES: Record<string, string> = {
  // No node_modules entry on purpose: the run must keep the linked tree out of the commit by itself.
  '.gitignore': '.aidev/\n',
  'package.json': JSON.stringify({ name: 'calc', dependencies: { 'tiny-label': '1.0.0' } }) + '\n',
  'package-lock.json': LOCK,
  'add.js': 'module.exports = (a, b) => a - b;\n',
  // The check needs the dependency: exit 7 when node_modules is not there, 1 when add is wrong.
  'check.js':
    "let label;\ntry { label = require('tiny-label'); } catch { console.log('tiny-label is missing'); process.exit(7); }\nconst add = require('./add.js');\nif (add(2, 3) !== 5) { console.log(label('add is wrong')); process.exit(1); }\nconsole.log(label('ok'));\n",
  '.aidevrc.yaml':
    'workspace:\n  setup: ["npm ci"]\nverify:\n  checks: ["node check.js", "node node_modules/.bin/tiny-label bin-ok"]\n',
};

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function installInMain(r: TempRepo): void {
  const pkg = join(r.root, 'node_modules', 'tiny-label');
  r.write(
    'node_modules/tiny-label/package.json',
    '{"name":"tiny-label","version":"1.0.0","main":"index.js"}\n',
  );
  r.write('node_modules/tiny-label/index.js', 'module.exports = (s) => `[label] ${s}`;\n');
  r.write(
    'node_modules/.package-lock.json',
    JSON.stringify({
      name: 'calc',
      lockfileVersion: 3,
      packages: { 'node_modules/tiny-label': { version: '1.0.0' } },
    }),
  );
  for (let i = 0; i < 200; i++) r.write(`node_modules/tiny-label/lib/f${i}.js`, `module.exports = ${i};\n`);
  // A package binary, as npm installs it: a symlink into the package, whose script requires its neighbours.
  r.write('node_modules/tiny-label/cli.js', "console.log(require('./index.js')(process.argv[2]));\n");
  mkdirSync(join(r.root, 'node_modules', '.bin'));
  symlinkSync('../tiny-label/cli.js', join(r.root, 'node_modules', '.bin', 'tiny-label'));
  expect(existsSync(pkg)).toBe(true);
}

const SCRIPT = [
  { text: '1. Make add add.' },
  { tool: 'edit_file', input: { path: 'add.js', old_string: 'a - b', new_string: 'a + b' } },
  { tool: 'run_command', input: { command: 'node check.js' } },
  { tool: 'finish', input: { summary: 'add adds' } },
  { text: 'Fixes add.' },
  { text: '# add\n\nAdds.' },
];

describe('aidev run with workspace.reuse', () => {
  it.each([
    ['not in .gitignore', FILES['.gitignore']!],
    ['in .gitignore', `${FILES['.gitignore']!}node_modules/\n`],
  ])(
    'links node_modules (%s) instead of npm ci, the checks wait for it, it stays out of the commit',
    async (_, ignore) => {
      const r = makeRepo({ ...FILES, '.gitignore': ignore });
      repos.push(r);
      // Installed in the user's checkout only: what `npm ci` there would have left.
      installInMain(r);
      r.write('.aidev/tasks/TASK-1.md', '---\nid: TASK-1\ntitle: add adds\nstatus: todo\n---\n\nFix add.\n');
      // An npm that fails loudly: if the install command ran instead of the reuse, setup would fail the run.
      r.write('../bin/npm', '#!/bin/sh\necho "npm must not run: $*" >&2\nexit 3\n');
      chmodSync(join(r.dir, 'bin', 'npm'), 0o755);
      const env = {
        ...gitEnvForTests,
        AIDEV_HOME: r.home,
        PATH: `${join(r.dir, 'bin')}:${process.env.PATH ?? ''}`,
      };

      const result = await runRun(
        { cwd: r.root, env, ids: ['TASK-1'], fakeResponses: writeScript(r.dir, SCRIPT) },
        { approver: autoApprover },
      );
      if (result.kind !== 'runs') throw new Error('expected runs');
      const run: RunSummary = result.runs[0]!;
      expect(run.status, run.error?.message).toBe('succeeded');

      const ledger = openLedger({ home: r.home });
      try {
        const audit = ledger.listAudit(run.runId);
        const reuse = audit.filter((a) => a.action === 'workspace.reuse');
        expect(reuse.map((a) => a.decision)).toEqual(['reused', 'linked']);
        expect(JSON.stringify(reuse[0]!.detail)).toMatch(
          /hard-linked from the main checkout in the background/,
        );
        expect(
          audit.some((a) => a.action === 'workspace.setup' && JSON.stringify(a.detail).includes('npm ci')),
        ).toBe(false);
        // The baseline ran the check with the dependency in place: it failed on add, not on a missing module.
        const baseline = audit.find((a) => a.action === 'verify.baseline');
        expect(baseline?.detail).toMatchObject({
          checks: [
            { command: 'node check.js', exitCode: 1 },
            { command: 'node node_modules/.bin/tiny-label bin-ok', exitCode: 0 },
          ],
        });
      } finally {
        ledger.close();
      }

      // The PR body gives the link's own time, known by the time it is written.
      expect(readFileSync(run.prUrl!, 'utf8')).toMatch(
        /Worktree setup took .*node_modules hard-linked from the main checkout in \d+\.\d s, in the background/,
      );
      const files = r.git('ls-tree', '-r', '--name-only', 'origin/feature/TASK-1').split('\n');
      expect(files).toContain('add.js');
      expect(files.some((f) => f.startsWith('node_modules'))).toBe(false);
      // Nothing of the link is left next to the worktrees.
      const worktrees = join(r.home, 'worktrees');
      const leftovers = existsSync(worktrees)
        ? readdirSync(worktrees).flatMap((repo) =>
            statSync(join(worktrees, repo)).isDirectory() ? readdirSync(join(worktrees, repo)) : [],
          )
        : [];
      expect(leftovers.filter((name) => name.startsWith('.linking-'))).toEqual([]);
    },
  );
});
