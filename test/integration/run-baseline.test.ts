// Baselines through `aidev run`: the checks run on the untouched base first (cached per base commit in the ledger);
// a test that already fails there is pre-existing and neither blocks the run nor starts a fix hunt, a new failure
// does, and the pull request body lists the pre-existing failure. Real git, the real standard_dev, the fake model.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runRun, type RunSummary } from '../../src/commands/run.js';
import { autoApprover } from '../../src/core/approvals.js';
import { openLedger } from '../../src/core/ledger/index.js';
import {
  gitEnvForTests,
  makeRepo,
  SLUG_PROJECT,
  SLUG_SCRIPT,
  writeScript,
  type TempRepo,
} from './run-fixtures.js';

const BROKEN_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "test('legacy parser keeps quotes', () => assert.equal('a', 'b'));",
  '',
].join('\n');

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function setup(config: string, extra: Record<string, string> = { 'test/legacy.test.js': BROKEN_TEST }) {
  const r = makeRepo({ ...SLUG_PROJECT, ...extra, '.aidevrc.yaml': config });
  repos.push(r);
  for (const n of [1, 2]) {
    r.write(
      `.aidev/tasks/TASK-${n}.md`,
      `---\nid: TASK-${n}\ntitle: slugify ignores surrounding spaces\nstatus: todo\n---\n\nslugify("  a b ") should give "a-b".\n`,
    );
  }
  return { r, env: { ...gitEnvForTests, AIDEV_HOME: r.home } };
}

const script = (agent: unknown[] = SLUG_SCRIPT): unknown[] => [
  { text: '1. Trim the input.' },
  ...agent,
  { text: 'Trims input in slugify.' },
  { text: '# slugify\n\nTrims input.' },
];

async function run(
  r: TempRepo,
  env: Record<string, string | undefined>,
  lines: unknown[],
  extra: { id?: string; noBaseline?: boolean } = {},
): Promise<RunSummary> {
  const result = await runRun(
    {
      cwd: r.root,
      env,
      ids: [extra.id ?? 'TASK-1'],
      fakeResponses: writeScript(r.dir, lines, `${extra.id ?? 'TASK-1'}.jsonl`),
      noBaseline: extra.noBaseline,
    },
    { approver: autoApprover },
  );
  if (result.kind !== 'runs') throw new Error('expected runs');
  return result.runs[0]!;
}

const CONFIG = 'verify:\n  checks: ["node --test"]\n  max_fix_attempts: 0\nsecurity:\n  sandbox: none\n';

describe('baseline', () => {
  it('a test already failing on the base is pre-existing: the run succeeds and the PR body lists it; the next run on the same base reads the cached baseline', async () => {
    const { r, env } = setup(CONFIG);
    const first = await run(r, env, script());
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.baseline).toMatch(/node --test: FAILS ON THE BASE already .*legacy parser keeps quotes/);
    expect(first.checks).toMatch(/node --test: failed .*pre-existing/);
    const body = readFileSync(first.prUrl!, 'utf8');
    expect(body).toContain('Pre-existing failures');
    expect(body).toContain('`legacy parser keeps quotes`');
    expect(body).toMatch(/\| `node --test` \| failed \(exit 1\) \| failed .*pre-existing/);

    const second = await run(r, env, script(), { id: 'TASK-2' });
    expect(second.status, JSON.stringify(second.error)).toBe('succeeded');
    expect(second.baseline).toMatch(/\(cached\)/);
    const ledger = openLedger({ home: r.home });
    try {
      const decisions = (id: string) =>
        ledger
          .listAudit(id)
          .filter((a) => a.action === 'verify.baseline')
          .map((a) => a.decision);
      expect(decisions(first.runId)).toEqual(['ran']);
      expect(decisions(second.runId)).toEqual(['cached']);
    } finally {
      ledger.close();
    }
  });

  it('a new failing test is the change’s doing: the run fails naming it, not the pre-existing one', async () => {
    const { r, env } = setup(CONFIG);
    const breaking = [
      {
        tool: 'edit_file',
        input: {
          path: 'src/slugify.js',
          old_string: "return text.toLowerCase().replace(/\\s+/g, '-');",
          new_string: "return text.trim().replace(/\\s+/g, '-');",
        },
      },
      { tool: 'finish', input: { summary: 'trimmed (and dropped the lowercasing by mistake)' } },
    ];
    const failed = await run(r, env, script(breaking));
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toMatch(/new failures: lowercases and joins words/);
    expect(failed.error!.message).not.toMatch(/new failures:.*legacy parser/);
  });

  it('--no-baseline: the pre-existing failure counts against the run', async () => {
    const { r, env } = setup(CONFIG);
    const failed = await run(r, env, script(), { noBaseline: true });
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toMatch(/checks still fail/);
    const ledger = openLedger({ home: r.home });
    try {
      expect(ledger.listAudit(failed.runId).some((a) => a.action === 'verify.baseline')).toBe(false);
    } finally {
      ledger.close();
    }
  });

  it('a check whose program is missing stops the run before any agent turn, with the setup hint', async () => {
    const { r, env } = setup(
      'verify:\n  checks: ["no-such-test-runner-xyz"]\nsecurity:\n  sandbox: none\n',
      {},
    );
    // Only the plan is scripted: an agent turn would find the script exhausted.
    const failed = await run(r, env, [{ text: '1. Trim the input.' }]);
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toMatch(/no-such-test-runner-xyz.*exit 127/);
    expect(failed.error!.hint).toMatch(/workspace\.setup/);
    const ledger = openLedger({ home: r.home });
    try {
      expect(ledger.listModelCalls(failed.runId)).toHaveLength(1);
    } finally {
      ledger.close();
    }
  });
});
