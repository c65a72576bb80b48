// doctor proves the GitHub token (GET /user, classic scopes) and the Jira credentials (myself) against the fakes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/commands/doctor.js';
import { startGitHubFake } from '../helpers/contract/github-fake.js';
import { startJiraFake } from '../helpers/contract/jira-fake.js';
import { tempDir, tempRepo } from '../helpers/temp.js';

async function doctor(options: { githubToken: string; jiraToken: string; scopes?: string }) {
  const github = await startGitHubFake({ scopes: options.scopes });
  const jira = await startJiraFake();
  const { dir } = tempRepo();
  writeFileSync(
    join(dir, '.aidevrc.yaml'),
    `tasks:\n  provider: jira\n  jira:\n    url: ${jira.url}\nvcs:\n  provider: github\n  github:\n    base_url: ${github.baseUrl}\n`,
  );
  const env = {
    AIDEV_HOME: tempDir(),
    AIDEV_NO_CONFIG_CACHE: '1',
    GITHUB_TOKEN: options.githubToken,
    JIRA_EMAIL: 'dev@acme.test',
    JIRA_API_TOKEN: options.jiraToken,
  };
  const result = await runDoctor({ cwd: dir, env });
  return { result, check: (name: string) => result.checks.find((c) => c.name === name) };
}

describe('aidev doctor with vcs: github and tasks: jira', () => {
  it('names who the credentials belong to and the token scopes', async () => {
    const { check } = await doctor({
      githubToken: 'ghp_test_token',
      jiraToken: 'jira-token',
      scopes: 'repo, workflow',
    });
    expect(check('vcs (github) reach')).toMatchObject({
      state: 'ok',
      detail: expect.stringContaining('octocat at http://127.0.0.1:'),
    });
    expect(check('vcs (github) reach')!.detail).toContain('scopes: repo, workflow');
    expect(check('tasks (jira) reach')).toMatchObject({
      state: 'ok',
      detail: expect.stringContaining('Dev Eloper at http://127.0.0.1:'),
    });
  });

  it('fails with hints when a token is refused or lacks the repo scope, never printing the tokens', async () => {
    const refused = await doctor({ githubToken: 'ghp_wrong', jiraToken: 'jira-wrong' });
    expect(refused.check('vcs (github) reach')).toMatchObject({
      state: 'fail',
      hint: expect.stringContaining('GITHUB_TOKEN'),
    });
    expect(refused.check('tasks (jira) reach')).toMatchObject({
      state: 'fail',
      hint: expect.stringContaining('JIRA_API_TOKEN'),
    });
    expect(refused.result.ok).toBe(false);
    expect(JSON.stringify(refused.result)).not.toMatch(/ghp_wrong|jira-wrong/);
    const narrow = await doctor({
      githubToken: 'ghp_test_token',
      jiraToken: 'jira-token',
      scopes: 'read:org',
    });
    expect(narrow.check('vcs (github) reach')).toMatchObject({
      state: 'fail',
      hint: expect.stringContaining('repo scope'),
    });
  });
});
