// The real binary against the loopback Jira contract fake: `aidev tasks show|list` with tasks.jira in .aidevrc.yaml.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownToAdf } from '../../providers/tasks/jira/markup/from-markdown.js';
import { STATUSES, startJiraFake } from '../helpers/contract/jira-fake.js';
import { runCli, tempDir, tempRepo } from '../helpers/temp.js';

async function setup() {
  const fake = await startJiraFake();
  fake.addIssue({
    summary: 'Add login',
    description: markdownToAdf('Email + **password**\n\n- form\n- `POST /login`'),
    labels: ['auth'],
    assignee: 'Alice',
  });
  fake.addIssue({ summary: 'Review me', status: STATUSES[2]! });
  const { dir } = tempRepo();
  writeFileSync(
    join(dir, '.aidevrc.yaml'),
    `tasks:\n  provider: jira\n  jira:\n    url: ${fake.url}\n    project: PROJ\n    status_mapping:\n      in_review: In Review\n`,
  );
  const env = {
    AIDEV_HOME: tempDir('aidev-home-'),
    JIRA_EMAIL: 'dev@acme.test',
    JIRA_API_TOKEN: 'jira-token',
  };
  return { fake, dir, env };
}

describe('aidev tasks with tasks.jira (binary against the Jira contract fake)', () => {
  it('shows an issue with its description as markdown', async () => {
    const { dir, env, fake } = await setup();
    const result = await runCli(['tasks', 'show', 'PROJ-1'], { cwd: dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PROJ-1');
    expect(result.stdout).toContain('Add login');
    expect(result.stdout).toContain('Email + **password**');
    expect(result.stdout).toContain('- `POST /login`');
    expect(fake.api.calls('getIssue')).toHaveLength(1);
  });

  it('lists issues as JSON on stdout', async () => {
    const { dir, env } = await setup();
    const result = await runCli(['tasks', 'list', '--json'], { cwd: dir, env });
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      provider: string;
      tasks: { id: string; status: string; title: string }[];
    };
    expect(parsed.provider).toBe('jira');
    expect(parsed.tasks.map((t) => [t.id, t.status, t.title])).toEqual([
      ['PROJ-2', 'in_review', 'Review me'],
      ['PROJ-1', 'todo', 'Add login'],
    ]);
  });

  it('says what is wrong, with a hint and no stack trace, for a missing issue and missing credentials', async () => {
    const { dir, env } = await setup();
    const missing = await runCli(['tasks', 'show', 'PROJ-9'], { cwd: dir, env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'error: Jira issue PROJ-9 does not exist, or this account cannot see it',
    );
    expect(missing.stderr).toContain('hint: check the key');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const anonymous = await runCli(['tasks', 'list'], {
      cwd: dir,
      env: { AIDEV_HOME: env.AIDEV_HOME, JIRA_EMAIL: '', JIRA_API_TOKEN: '', JIRA_PAT: '' },
    });
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain(
      'tasks.jira needs credentials: JIRA_EMAIL and JIRA_API_TOKEN (Cloud), or JIRA_PAT (Data Center)',
    );
  });
});
