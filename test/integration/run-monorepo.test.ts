// Monorepo-scoped checks through `aidev run`: two packages, a's test already failing. A task labelled `b` runs only
// b's checks (baseline and verify), so a's failure never shows, and the PR body says the checks were scoped to b. A
// task that names no package, with a base that already fails, stays repo-wide. Real git, standard_dev, the fake model.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runRun, type RunSummary } from '../../src/commands/run.js';
import { autoApprover } from '../../src/core/approvals.js';
import { openLedger } from '../../src/core/ledger/index.js';
import { gitEnvForTests, makeRepo, writeScript, type TempRepo } from './run-fixtures.js';
import { formatRunDetails } from '../../src/cli/actions/run.js';

const testFile = (imports: string, body: string) =>
  ["import { test } from 'node:test';", "import assert from 'node:assert/strict';", imports, body, ''].join(
    '\n',
  );

const MONOREPO: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }, null, 2),
  'packages/a/package.json': '{ "name": "a", "type": "module", "scripts": { "test": "node --test" } }\n',
  'packages/a/test/a.test.js': testFile(
    '',
    "test('a legacy parser keeps quotes', () => assert.equal('a', 'b'));",
  ),
  'packages/b/package.json': '{ "name": "b", "type": "module", "scripts": { "test": "node --test" } }\n',
  'packages/b/src/slugify.js':
    "export function slugify(text) {\n  return text.toLowerCase().replace(/\\s+/g, '-');\n}\n",
  'packages/b/test/slugify.test.js': testFile(
    "import { slugify } from '../src/slugify.js';",
    "test('b ignores surrounding spaces', () => assert.equal(slugify('  Hi There '), 'hi-there'));",
  ),
  '.gitignore': 'node_modules/\n.aidev/\n',
  '.aidevrc.yaml': [
    'verify:',
    '  checks: ["node --test"]',
    '  max_fix_attempts: 0',
    '  packages:',
    '    - path: packages/a',
    '    - path: packages/b',
    'security:',
    '  sandbox: none',
    '',
  ].join('\n'),
};

const B_SCRIPT: unknown[] = [
  { text: '1. Trim the input in b.' },
  {
    tool: 'edit_file',
    input: {
      path: 'packages/b/src/slugify.js',
      old_string: 'return text.toLowerCase()',
      new_string: 'return text.trim().toLowerCase()',
    },
  },
  { tool: 'run_command', input: { command: 'cd packages/b && node --test' } },
  { tool: 'finish', input: { summary: 'slugify in b trims its input.' } },
  { text: 'Trims input in slugify.' },
  { text: '# slugify\n\nTrims input.' },
];

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function setup(): { r: TempRepo; env: Record<string, string | undefined> } {
  const r = makeRepo(MONOREPO);
  repos.push(r);
  r.write(
    '.aidev/tasks/TASK-1.md',
    '---\nid: TASK-1\ntitle: slugify ignores surrounding spaces\nstatus: todo\nlabels: [b]\n---\n\nslugify("  a b ") should give "a-b".\n',
  );
  r.write(
    '.aidev/tasks/TASK-2.md',
    '---\nid: TASK-2\ntitle: slugify ignores surrounding spaces\nstatus: todo\n---\n\nslugify("  a b ") should give "a-b".\n',
  );
  return { r, env: { ...gitEnvForTests, AIDEV_HOME: r.home } };
}

async function run(r: TempRepo, env: Record<string, string | undefined>, id: string): Promise<RunSummary> {
  const result = await runRun(
    { cwd: r.root, env, ids: [id], fakeResponses: writeScript(r.dir, B_SCRIPT, `${id}.jsonl`) },
    { approver: autoApprover },
  );
  if (result.kind !== 'runs') throw new Error('expected runs');
  return result.runs[0]!;
}

function scopeAudit(home: string, runId: string): { decision: string; reason: string }[] {
  const ledger = openLedger({ home });
  try {
    return ledger
      .listAudit(runId)
      .filter((a) => a.action === 'verify.scope')
      .map((a) => ({ decision: a.decision, reason: (a.detail as { reason: string }).reason }));
  } finally {
    ledger.close();
  }
}

describe('monorepo-scoped checks', () => {
  it("a task labelled b runs only b's checks: a's failing test never runs, the run succeeds, the PR says so", async () => {
    const { r, env } = setup();
    const done = await run(r, env, 'TASK-1');
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.baseline).toMatch(/^checks scoped to packages\/b \(task label b\)\n/);
    expect(done.baseline).toMatch(
      /cd packages\/b && node --test: FAILS ON THE BASE .*b ignores surrounding spaces/,
    );
    expect(done.checks).toMatch(/^checks scoped to packages\/b \(task label b\)\n/);
    expect(done.checks).toMatch(/cd packages\/b && node --test: passed .*this change fixed it/);
    for (const text of [done.baseline, done.checks]) expect(text).not.toMatch(/legacy parser|packages\/a/);
    expect(formatRunDetails(done)).toContain('  checks: scoped to packages/b (task label b)\n');

    const body = readFileSync(done.prUrl!, 'utf8');
    expect(body).toContain('### Checks (aidev)');
    expect(body).toContain('Checks scoped to packages/b (task label b).');
    expect(body).toMatch(/\| `cd packages\/b && node --test` \| failed \(exit 1\) \| passed .*\|/);
    expect(body).not.toContain('`node --test`');
    expect(body).not.toContain('legacy parser');
    expect(scopeAudit(r.home, done.runId)).toEqual([{ decision: 'package', reason: 'task label b' }]);
  });

  it('a task that names no package, on a base that already fails, stays repo-wide; its baseline is its own', async () => {
    const { r, env } = setup();
    await run(r, env, 'TASK-1');
    const wide = await run(r, env, 'TASK-2');
    expect(wide.status, JSON.stringify(wide.error)).toBe('succeeded');
    // The package baseline of TASK-1 is not the repo-wide one: this one ran, not read from the cache.
    expect(wide.baseline).not.toMatch(/\(cached\)/);
    expect(wide.baseline).toMatch(/^node --test: FAILS ON THE BASE .*a legacy parser keeps quotes/m);
    expect(wide.checks).toMatch(
      /^checks: repo-wide \(the change touches only packages\/b, but the repo-wide checks/,
    );
    expect(wide.checks).toMatch(/^node --test: failed .*pre-existing/m);
    expect(scopeAudit(r.home, wide.runId).map((a) => a.decision)).toEqual(['repo', 'repo']);
    expect(readFileSync(wide.prUrl!, 'utf8')).toContain(
      'Checks: repo-wide (the change touches only packages/b',
    );
  });
});
