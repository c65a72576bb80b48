// custom_fields: a run that opens its PR writes pr_url and repo_url into the tracker fields config maps them to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRun } from '../../src/commands/run.js';
import { autoApprover } from '../../src/core/approvals.js';
import {
  gitEnvForTests,
  makeRepo,
  SLUG_PROJECT,
  SLUG_SCRIPT,
  writeScript,
  type TempRepo,
} from './run-fixtures.js';

/** standard_dev asks the model for: the plan, the agent's turns, the PR description, the docs page. */
const script = [
  { text: '1. Trim the input in src/slugify.js.' },
  ...SLUG_SCRIPT,
  { text: 'Trims input in slugify.' },
  { text: '# slugify\n\nTrims input.' },
];

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

describe('aidev run fills mapped custom fields', () => {
  it('writes the PR link and the repository link into the mapped fields of the local task', async () => {
    const config =
      'verify:\n  checks: ["node --test"]\nsecurity:\n  sandbox: none\ntasks:\n  local:\n    custom_fields:\n      pr_url: pull_request\n      repo_url: repository\n';
    const r = makeRepo({ ...SLUG_PROJECT, '.aidevrc.yaml': config }, { remote: true });
    repos.push(r);
    r.write(
      '.aidev/tasks/TASK-1.md',
      '---\nid: TASK-1\ntitle: slugify ignores surrounding spaces\nstatus: todo\n---\n\nTrim it.\n',
    );
    const env = { ...gitEnvForTests, AIDEV_HOME: r.home };
    const result = await runRun(
      { cwd: r.root, env, ids: ['TASK-1'], fakeResponses: writeScript(r.dir, script) },
      { approver: autoApprover, emit: () => {} },
    );
    if (result.kind !== 'runs') throw new Error('expected runs');
    const run = result.runs[0]!;
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    const task = readFileSync(join(r.root, '.aidev/tasks/TASK-1.md'), 'utf8');
    expect(task).toContain(`pull_request: ${run.prUrl}`);
    expect(task).toContain(`repository: ${r.remote}`);
  });
});
