// `aidev run PROJ-1` through the binary with tasks: jira and vcs: github against their contract fakes (the scripted
// model, a bare git remote): the PR is opened with the repository's template merged in, the Jira issue goes through
// the mapped "In Review" transition and gets a comment linking the PR; every API call is checked against the contracts.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownToAdf } from '../../providers/tasks/jira/markup/from-markdown.js';
import { startGitHubFake } from '../helpers/contract/github-fake.js';
import { startJiraFake } from '../helpers/contract/jira-fake.js';
import { binPath } from '../helpers/temp.js';
import {
  gitEnvForTests,
  makeRepo,
  sh,
  SLUG_PROJECT,
  SLUG_SCRIPT,
  type TempRepo,
} from '../integration/run-fixtures.js';

const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

const SCRIPT = [
  { text: '1. Trim the input in src/slugify.js.\n2. Run node --test.' },
  ...SLUG_SCRIPT,
  { text: 'Trims input in slugify so surrounding spaces no longer become dashes.' },
  { text: '# slugify\n\n`slugify` now ignores surrounding spaces.' },
];

function run(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd,
      env: { ...env, CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe.skipIf(!existsSync(binPath))('aidev run with tasks: jira and vcs: github', () => {
  it('opens the PR with the template, moves the issue to the mapped In Review status and links the PR', async () => {
    const jira = await startJiraFake();
    const github = await startGitHubFake();
    jira.addIssue({
      summary: 'slugify ignores surrounding spaces',
      description: markdownToAdf('`slugify("  a b ")` should give `"a-b"`.'),
    });
    const r = makeRepo({
      ...SLUG_PROJECT,
      '.github/pull_request_template.md': '## Checklist\n\n- [ ] reviewed by a person\n',
      '.aidevrc.yaml': [
        'ai:\n  provider: fake',
        'verify:\n  checks: ["node --test"]',
        `tasks:\n  provider: jira\n  jira:\n    url: ${jira.url}\n    project: PROJ\n    status_mapping:\n      in_review: In Review`,
        `vcs:\n  provider: github\n  github:\n    base_url: ${github.baseUrl}\n    owner: acme\n    repo: api\n    labels: [aidev]`,
        '',
      ].join('\n'),
    });
    repos.push(r);
    const script = join(r.dir, 'script.jsonl');
    writeFileSync(script, SCRIPT.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const env = {
      ...gitEnvForTests,
      AIDEV_HOME: r.home,
      JIRA_EMAIL: 'dev@acme.test',
      JIRA_API_TOKEN: 'jira-token',
      GITHUB_TOKEN: 'ghp_test_token',
    };

    const proc = await run(r.root, ['run', 'PROJ-1', '--yes', '--json', '--fake-responses', script], env);
    expect(proc.code, proc.stderr).toBe(0);
    const result = JSON.parse(proc.stdout) as {
      status: string;
      branch: string;
      commit: string;
      prUrl: string;
    };
    expect(result).toMatchObject({
      status: 'succeeded',
      branch: 'feature/PROJ-1',
      prUrl: `${github.api.origin}/acme/api/pull/1`,
    });

    // The branch reached the remote, and exactly one PR was opened for it, with the template merged into the body.
    expect(sh(r.remote!, ['rev-parse', 'feature/PROJ-1']).trim()).toBe(result.commit);
    const prs = github.issues.filter((i) => i.pull);
    expect(prs).toHaveLength(1);
    expect(prs[0]).toMatchObject({
      title: 'PROJ-1: slugify ignores surrounding spaces',
      labels: ['aidev'],
      pull: { head: 'feature/PROJ-1', base: 'main' },
    });
    expect(prs[0]!.body).toContain('Trims input in slugify');
    expect(prs[0]!.body).toContain('- [ ] reviewed by a person');

    // Jira: to In Progress, then through the transition that reaches the mapped "In Review", and a comment with the link.
    expect(jira.issues[0]!.status.name).toBe('In Review');
    expect(
      jira.api.calls('doTransition').map((c) => (c.body as { transition: { id: string } }).transition.id),
    ).toEqual(['t3', 't10002']);
    expect(JSON.stringify(jira.issues[0]!.comments)).toContain(`"href":"${result.prUrl}"`);
  });
});
