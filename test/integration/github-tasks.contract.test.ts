// tasks.github (GitHub Issues) against GitHub's published OpenAPI contract, on github.com and on Enterprise Server.
import { describe, expect, it } from 'vitest';
import { githubTasksConfigSchema } from '../../providers/tasks/github/config.js';
import { GithubTasks } from '../../providers/tasks/github/github-tasks.js';
import { AidevError } from '../../src/core/errors.js';
import { startGitHubFake, type GitHubFake } from '../helpers/contract/github-fake.js';
import { providerContext } from '../helpers/provider-context.js';
import { tempRepo } from '../helpers/temp.js';

function tracker(fake: GitHubFake, settings: Record<string, unknown> = {}) {
  const ctx = providerContext(
    githubTasksConfigSchema.parse({ base_url: fake.baseUrl, owner: 'acme', repo: 'api', ...settings }),
    {
      repoRoot: tempRepo().dir,
      path: 'tasks.github',
    },
  );
  return new GithubTasks(ctx, { token: 'ghp_test_token', pacing: false });
}

async function rejection(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe('tasks.github against the GitHub OpenAPI contract', () => {
  it('reads issues by #n, owner/repo#n or URL, with status from state and labels; lists skip pull requests', async () => {
    const fake = await startGitHubFake();
    fake.addIssue({
      title: 'Add login',
      body: 'Email + password',
      labels: ['in progress', 'auth'],
      assignees: ['alice'],
    });
    fake.addIssue({ title: 'Old', state: 'closed' });
    fake.addIssue({
      title: 'A PR',
      pull: { head: 'x', base: 'main', draft: false, merged: false, reviewers: [] },
    });
    fake.addIssue({ title: 'Crash', labels: ['bug', 'in review'] });
    const tasks = tracker(fake);
    const task = await tasks.getTask('#1');
    expect(task).toEqual({
      id: '#1',
      type: 'task',
      title: 'Add login',
      description: 'Email + password',
      status: 'in_progress',
      assignee: 'alice',
      labels: ['auth'],
      url: `${fake.api.origin}/acme/api/issues/1`,
      parentId: undefined,
      dependsOn: [],
    });
    expect((await tasks.getTask('acme/api#4')).type).toBe('bug');
    expect((await tasks.getTask(`${fake.api.origin}/acme/api/issues/4`)).status).toBe('in_review');
    expect((await tasks.listTasks()).map((t) => t.id)).toEqual(['#4', '#1']);
    expect((await tasks.listTasks({ status: 'done' })).map((t) => t.id)).toEqual(['#2']);
    expect((await tasks.listTasks({ status: 'in_review' })).map((t) => t.id)).toEqual(['#4']);
    expect(fake.api.calls('issues/list-for-repo').at(-1)!.query.get('labels')).toBe('in review');
    expect((await tasks.listTasks({ status: 'todo' })).map((t) => t.id)).toEqual([]);
    expect((await tasks.listTasks({ assignee: 'alice', label: 'auth' })).map((t) => t.id)).toEqual(['#1']);
  });

  it('moves status through labels and closes on done, keeping other labels', async () => {
    const fake = await startGitHubFake();
    fake.addIssue({ title: 'Add login', labels: ['auth'] });
    const tasks = tracker(fake, { status_mapping: { in_review: ['needs review', 'review'] } });
    expect((await tasks.updateStatus('#1', 'in_progress')).status).toBe('in_progress');
    expect(fake.issues[0]!.labels).toEqual(['auth', 'in progress']);
    expect((await tasks.updateStatus('#1', 'in_review')).status).toBe('in_review');
    expect(fake.issues[0]!.labels).toEqual(['auth', 'needs review']);
    const done = await tasks.updateStatus('#1', 'done');
    expect(done.status).toBe('done');
    expect(fake.issues[0]).toMatchObject({ state: 'closed', labels: ['auth'] });
    expect(fake.api.calls('issues/update').at(-1)!.body).toEqual({
      labels: ['auth'],
      state: 'closed',
      state_reason: 'completed',
    });
    expect((await tasks.updateStatus('#1', 'todo')).status).toBe('todo');
    expect(fake.issues[0]!.state).toBe('open');
  });

  it('creates issues for a plan: sub-issues under the epic, blocked-by dependencies, type as a label', async () => {
    const fake = await startGitHubFake();
    const tasks = tracker(fake);
    const epic = await tasks.createTask({ title: 'Auth', type: 'epic', description: 'All of auth' });
    expect(epic).toMatchObject({ id: '#1', type: 'epic', labels: ['epic'] });
    const first = await tasks.createTask({
      title: 'Login',
      parentId: epic.id,
      labels: ['auth'],
      assignee: 'bob',
    });
    const second = await tasks.createTask({ title: 'Logout', parentId: '#1', dependsOn: [first.id] });
    expect(second).toMatchObject({ id: '#3', parentId: '#1', dependsOn: ['#2'] });
    expect(fake.issues[1]).toMatchObject({ parent: 1, assignees: ['bob'] });
    expect(fake.api.calls('issues/add-sub-issue').map((c) => c.body)).toEqual([
      { sub_issue_id: fake.issues[1]!.id },
      { sub_issue_id: fake.issues[2]!.id },
    ]);
    expect(fake.api.calls('issues/add-blocked-by-dependency')[0]).toMatchObject({
      path: '/repos/acme/api/issues/3/dependencies/blocked_by',
      body: { issue_id: fake.issues[1]!.id },
    });
    const read = await tasks.getTask('#3');
    expect(read).toMatchObject({ parentId: '#1', dependsOn: ['#2'] });
    const comment = await tasks.addComment('#3', 'PR: https://example.test/pull/9');
    expect(comment.url).toContain('/acme/api/issues/3#issuecomment-');
    expect(fake.issues[2]!.comments).toEqual(['PR: https://example.test/pull/9']);
  });

  it('falls back to a task list and a "Blocked by" line on an Enterprise Server without sub-issues', async () => {
    const fake = await startGitHubFake({ enterprise: true });
    const tasks = tracker(fake, { issue_types: false });
    await tasks.createTask({ title: 'Epic', type: 'epic', description: 'Goal' });
    await tasks.createTask({ title: 'Child', parentId: '#1' });
    expect(fake.issues[0]!.body).toBe('Goal\n- [ ] #2\n');
    await tasks.createTask({ title: 'Blocked', description: 'Needs #2' });
    await tasks.link('#2', '#3', 'relates');
    expect(fake.issues[1]!.body).toBe('Related to #3\n');
    expect(fake.api.requests.some((r) => r.path.endsWith('/sub_issues') && r.status === 404)).toBe(true);
  });

  it('says which issue is missing, and refuses pull requests and malformed ids', async () => {
    const fake = await startGitHubFake();
    fake.addIssue({
      title: 'PR',
      pull: { head: 'x', base: 'main', draft: false, merged: false, reviewers: [] },
    });
    const tasks = tracker(fake);
    const missing = await rejection(tasks.getTask('#42'));
    expect(missing.code).toBe('TASK_NOT_FOUND');
    expect(missing.message).toBe('issue acme/api#42 not found in acme/api');
    expect(missing.hint).toContain('aidev tasks list');
    expect((await rejection(tasks.getTask('#1'))).message).toBe('acme/api#1 is a pull request, not an issue');
    expect((await rejection(tasks.getTask('PROJ-1'))).hint).toBe(
      'use #123, 123, owner/repo#123 or an issue URL',
    );
  });

  it('pages through long lists up to the limit', async () => {
    const fake = await startGitHubFake();
    for (let i = 1; i <= 130; i++) fake.addIssue({ title: `Issue ${i}` });
    const tasks = tracker(fake);
    const listed = await tasks.listTasks({ limit: 120 });
    expect(listed).toHaveLength(120);
    expect(listed[0]!.id).toBe('#130');
    expect(fake.api.calls('issues/list-for-repo').map((c) => c.query.get('page') ?? '1')).toEqual(['1', '2']);
  });
});
