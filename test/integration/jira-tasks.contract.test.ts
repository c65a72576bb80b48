// tasks.jira against Jira's contract as jira.js ships it (its zod models, made strict, plus ADF and field schemas
// mirrored from Atlassian's docs): Cloud v3 with email + API token, Data Center v2 with a personal access token.
import { describe, expect, it } from 'vitest';
import { jiraConfigSchema } from '../../providers/tasks/jira/config.js';
import { jiraTasksProvider } from '../../providers/tasks/jira/index.js';
import { JiraTasks } from '../../providers/tasks/jira/jira-tasks.js';
import { markdownToAdf } from '../../providers/tasks/jira/markup/from-markdown.js';
import { AidevError } from '../../src/core/errors.js';
import { JIRA_JS_VERSION } from '../helpers/contract/jira-contract.js';
import { STATUSES, startJiraFake, type JiraFake } from '../helpers/contract/jira-fake.js';
import { providerContext } from '../helpers/provider-context.js';
import { tempDir } from '../helpers/temp.js';

function jira(
  fake: JiraFake,
  settings: Record<string, unknown> = {},
  deployment: 'cloud' | 'data_center' = 'cloud',
) {
  const waits: number[] = [];
  const warnings: string[] = [];
  const ctx = {
    ...providerContext(jiraConfigSchema.parse({ url: fake.url, project: 'PROJ', ...settings }), {
      repoRoot: tempDir(),
      path: 'tasks.jira',
    }),
    logger: { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} },
  };
  const tasks = JiraTasks.connect(ctx, {
    site: fake.url,
    deployment,
    auth:
      deployment === 'cloud'
        ? { type: 'basic', email: 'dev@acme.test', apiToken: 'jira-token' }
        : { type: 'bearer', token: 'jira-token' },
    onSchemaMismatch: 'throw',
    sleep: async (ms) => void waits.push(ms),
  });
  return { tasks, waits, warnings };
}

async function rejection(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

const [TODO, IN_PROGRESS, IN_REVIEW, DONE] = STATUSES as [
  (typeof STATUSES)[0],
  (typeof STATUSES)[0],
  (typeof STATUSES)[0],
  (typeof STATUSES)[0],
];

describe(`tasks.jira against the Jira contract (jira.js ${JIRA_JS_VERSION})`, () => {
  it('reads an issue: description ADF → markdown, status by category or name, assignee, labels, parent, links', async () => {
    const fake = await startJiraFake();
    const epic = fake.addIssue({
      summary: 'Auth',
      type: { name: 'Epic', subtask: false, hierarchyLevel: 1 },
    });
    const blocker = fake.addIssue({ summary: 'Schema' });
    const issue = fake.addIssue({
      summary: 'Add login',
      description: markdownToAdf(
        '## Goal\n\nEmail + **password**, see [spec](https://x.test/spec)\n\n- form\n- `POST /login`',
      ),
      status: IN_PROGRESS,
      labels: ['auth'],
      assignee: 'Alice',
      parent: epic.key,
    });
    fake.links.push({ type: 'Blocks', outward: blocker.key, inward: issue.key });
    const { tasks } = jira(fake);
    expect(await tasks.getTask('proj-3')).toEqual({
      id: 'PROJ-3',
      type: 'task',
      title: 'Add login',
      description:
        '## Goal\n\nEmail + **password**, see [spec](https://x.test/spec)\n\n- form\n- `POST /login`',
      status: 'in_progress',
      assignee: 'Alice',
      labels: ['auth'],
      url: `${fake.url}/browse/PROJ-3`,
      parentId: 'PROJ-1',
      dependsOn: ['PROJ-2'],
    });
    expect((await tasks.getTask('PROJ-1')).type).toBe('epic');
    fake.issues[2]!.status = IN_REVIEW;
    expect((await tasks.getTask('PROJ-3')).status).toBe('in_review');
    expect(fake.api.calls('getIssue')[0]!.path).toBe('/rest/api/3/issue/PROJ-3');
  });

  it('lists with the configured JQL plus filters, paging with nextPageToken', async () => {
    const fake = await startJiraFake();
    for (let n = 1; n <= 130; n++)
      fake.addIssue({ summary: `Issue ${n}`, labels: n % 2 ? ['ai'] : [], status: n === 7 ? DONE : TODO });
    const { tasks } = jira(fake, { jql: 'project = PROJ AND statusCategory != Done ORDER BY created DESC' });
    const open = await tasks.listTasks({ limit: 120 });
    expect(open).toHaveLength(120);
    expect(fake.api.calls('search').map((c) => c.query.get('nextPageToken'))).toEqual([null, '100']);
    const labelled = await tasks.listTasks({ label: 'ai', status: 'todo', limit: 500 });
    expect(labelled).toHaveLength(64);
    expect(fake.api.calls('search').at(-1)!.query.get('jql')).toBe(
      '(project = PROJ AND statusCategory != Done) AND labels = "ai" AND statusCategory = "To Do" ORDER BY created DESC',
    );
  });

  it('creates an epic, a task under it, a sub-task under the task, with labels, markdown → ADF and a blocks link', async () => {
    const fake = await startJiraFake();
    const { tasks } = jira(fake, { custom_fields: { estimate: 'Story point estimate' } });
    const epic = await tasks.createTask({ title: 'Auth', type: 'epic' });
    const task = await tasks.createTask({
      title: 'Login form',
      description: 'Build it:\n\n1. fields\n2. submit\n\nPR: https://github.com/acme/api/pull/1',
      labels: ['needs review', 'ui'],
      parentId: epic.id,
      estimate: 3,
    });
    const sub = await tasks.createTask({ title: 'Validation', parentId: task.id, dependsOn: [epic.id] });
    expect([epic.type, task.type, sub.type]).toEqual(['epic', 'task', 'subtask']);
    expect(task).toMatchObject({ parentId: 'PROJ-1', labels: ['needs-review', 'ui'] });
    expect(sub).toMatchObject({ parentId: 'PROJ-2', dependsOn: ['PROJ-1'] });
    const created = fake.api.calls('createIssue')[1]!.body as { fields: Record<string, unknown> };
    expect(created.fields).toMatchObject({
      issuetype: { name: 'Task' },
      parent: { key: 'PROJ-1' },
      customfield_10016: 3,
    });
    expect(created.fields.description).toEqual(
      markdownToAdf('Build it:\n\n1. fields\n2. submit\n\nPR: https://github.com/acme/api/pull/1'),
    );
    expect(fake.api.calls('createIssue')[2]!.body).toMatchObject({
      fields: { issuetype: { name: 'Sub-task' } },
    });
    expect(fake.links).toEqual([{ type: 'Blocks', outward: 'PROJ-1', inward: 'PROJ-3' }]);
  });

  it('moves status through the transition that reaches the mapped status', async () => {
    const fake = await startJiraFake();
    fake.addIssue({ summary: 'x' });
    const { tasks } = jira(fake, { status_mapping: { in_review: 'In Review' } });
    expect((await tasks.updateStatus('PROJ-1', 'in_progress')).status).toBe('in_progress');
    expect(fake.issues[0]!.status.name).toBe('In Progress');
    expect((await tasks.updateStatus('PROJ-1', 'in_review')).status).toBe('in_review');
    expect(fake.api.calls('doTransition').map((c) => c.body)).toEqual([
      { transition: { id: 't3' } },
      { transition: { id: 't10002' } },
    ]);
    await tasks.updateStatus('PROJ-1', 'in_review');
    expect(fake.api.calls('doTransition')).toHaveLength(2);
    expect((await tasks.updateStatus('PROJ-1', 'done')).status).toBe('done');
    expect(fake.issues[0]!.status).toBe(DONE);
  });

  it('lists the available transitions when none reaches the mapped status', async () => {
    const fake = await startJiraFake();
    fake.addIssue({ summary: 'x' });
    fake.transitionsFrom = () => [
      { id: '11', name: 'Start Progress', to: IN_PROGRESS },
      { id: '31', name: 'Done', to: DONE },
    ];
    const { tasks } = jira(fake, { status_mapping: { in_review: ['Code Review', 'Peer Review'] } });
    const error = await rejection(tasks.updateStatus('PROJ-1', 'in_review'));
    expect(error.message).toBe(
      'Jira: PROJ-1 cannot move from "To Do" to in_review ("code review" or "peer review"): no transition leads there; available: "Start Progress" → In Progress, "Done" → Done',
    );
    expect(error.hint).toBe(
      'set tasks.jira.status_mapping.in_review to the status to use (one of: In Progress, Done), or add that transition to the workflow',
    );
    expect(fake.api.calls('doTransition')).toHaveLength(0);
  });

  it('comments in ADF with links, sets custom fields by mapping or name, and links blocks', async () => {
    const fake = await startJiraFake();
    fake.addIssue({ summary: 'a' });
    fake.addIssue({ summary: 'b' });
    const { tasks } = jira(fake, { custom_fields: { pr_url: 'customfield_10050', notes: 'Release notes' } });
    const comment = await tasks.addComment(
      'PROJ-1',
      'Opened https://github.com/acme/api/pull/9 (`feature/PROJ-1`)',
    );
    expect(comment.url).toBe(`${fake.url}/browse/PROJ-1?focusedCommentId=30001`);
    expect(fake.issues[0]!.comments[0]).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Opened ' },
            {
              type: 'text',
              text: 'https://github.com/acme/api/pull/9',
              marks: [{ type: 'link', attrs: { href: 'https://github.com/acme/api/pull/9' } }],
            },
            { type: 'text', text: ' (' },
            { type: 'text', text: 'feature/PROJ-1', marks: [{ type: 'code' }] },
            { type: 'text', text: ')' },
          ],
        },
      ],
    });
    await tasks.setFields('PROJ-1', {
      pr_url: 'https://github.com/acme/api/pull/9',
      notes: 'Adds **login**',
    });
    expect(fake.issues[0]!.custom).toEqual({
      customfield_10050: 'https://github.com/acme/api/pull/9',
      customfield_10051: markdownToAdf('Adds **login**'),
    });
    const unknown = await rejection(tasks.setFields('PROJ-1', { nope: 'x' }));
    expect(unknown.message).toBe('Jira has no field "nope"');
    expect(unknown.hint).toContain('customfield_10050 "PR URL"');
    await tasks.link('PROJ-1', 'PROJ-2', 'blocks');
    expect((await tasks.getTask('PROJ-2')).dependsOn).toEqual(['PROJ-1']);
    expect(fake.api.calls('linkIssues')[0]!.body).toEqual({
      type: { name: 'Blocks' },
      outwardIssue: { key: 'PROJ-1' },
      inwardIssue: { key: 'PROJ-2' },
    });
  });

  it('maps 401, 404 and 400 to errors with hints', async () => {
    const fake = await startJiraFake({ token: 'right' });
    const { tasks } = jira(fake);
    const unauthorized = await rejection(tasks.getTask('PROJ-1'));
    expect(unauthorized.message).toBe('Jira: cannot read PROJ-1: Jira refused the credentials (401)');
    expect(unauthorized.hint).toContain(
      'set JIRA_EMAIL and JIRA_API_TOKEN (or tasks.jira.email / api_token)',
    );

    const open = await startJiraFake();
    const ok = jira(open).tasks;
    const missing = await rejection(ok.getTask('PROJ-404'));
    expect(missing.code).toBe('TASK_NOT_FOUND');
    expect(missing.message).toBe('Jira issue PROJ-404 does not exist, or this account cannot see it');
    const badType = await rejection(
      jira(open, { issue_types: { task: 'Chore' } }).tasks.createTask({ title: 'x' }),
    );
    expect(badType.message).toBe(
      'Jira: cannot create "x" in PROJ: Jira refused it (400 issuetype: Specify a valid issue type)',
    );
    expect(badType.hint).toContain('tasks.jira (project, issue_types, custom_fields)');
    expect((await rejection(ok.getTask('#12'))).hint).toBe('Jira keys look like PROJ-123');
  });

  it('waits out a 429 for its Retry-After, a bounded number of times', async () => {
    const fake = await startJiraFake();
    fake.addIssue({ summary: 'x' });
    const limited = {
      status: 429,
      body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
      headers: { 'retry-after': '2' },
    };
    fake.fail('getIssue', limited);
    const { tasks, waits, warnings } = jira(fake);
    expect((await tasks.getTask('PROJ-1')).title).toBe('x');
    expect(waits).toEqual([2000]);
    expect(warnings).toEqual(['Jira rate limit (429): retrying in 2s (retry 1 of 3)']);
    for (let i = 0; i < 4; i++) fake.fail('getIssue', limited);
    const error = await rejection(tasks.getTask('PROJ-1'));
    expect(error.message).toBe('Jira: cannot read PROJ-1: rate limited (429)');
    expect(error.hint).toContain('try again in 2s');
    expect(waits).toEqual([2000, 2000, 2000, 2000]);
    fake.fail('getIssue', { ...limited, headers: { 'retry-after': '3600' } });
    expect((await rejection(tasks.getTask('PROJ-1'))).hint).toContain('in 3600s');
    expect(waits).toHaveLength(4);
  });

  it('speaks REST v2 with wiki markup and a bearer personal access token to Data Center', async () => {
    const fake = await startJiraFake({ deployment: 'data_center' });
    fake.addIssue({
      summary: 'Add login',
      description: 'h2. Goal\n\n* email\n* {{password}}\n\nSee [spec|https://x.test]',
      status: IN_PROGRESS,
    });
    const { tasks } = jira(fake, {}, 'data_center');
    const task = await tasks.getTask('PROJ-1');
    expect(task).toMatchObject({
      description: '## Goal\n\n- email\n- `password`\n\nSee [spec](https://x.test)',
      status: 'in_progress',
    });
    await tasks.addComment('PROJ-1', 'PR: https://pr.test/1 with **care**');
    expect(fake.issues[0]!.comments).toEqual(['PR: [https://pr.test/1] with *care*']);
    const created = await tasks.createTask({ title: 'Next', description: '## Why\n\n- a' });
    expect(fake.issues[1]!.description).toBe('h2. Why\n\n* a');
    expect(created.description).toBe('## Why\n\n- a');
    expect((await tasks.updateStatus('PROJ-1', 'done')).status).toBe('done');
    expect(fake.api.requests.every((r) => r.path.startsWith('/rest/api/2/'))).toBe(true);
    expect(await tasks.checkAuth()).toMatchObject({ ok: true, identity: 'Dev Eloper' });
  });

  it('checks credentials and config before anything loads, naming the variables', async () => {
    const create = (settings: Record<string, unknown>, env: Record<string, string> = {}) =>
      jiraTasksProvider.create(
        providerContext(jiraConfigSchema.parse(settings), { repoRoot: tempDir(), path: 'tasks.jira', env }),
      );
    const noUrl = await rejection(create({}, { JIRA_PAT: 'x' }));
    expect(noUrl).toMatchObject({ code: 'CONFIG_INVALID', message: 'tasks.jira.url is not set' });
    const noCredentials = await rejection(create({ url: 'https://acme.atlassian.net' }));
    expect(noCredentials.code).toBe('ENV_MISSING');
    expect(noCredentials.message).toBe(
      'tasks.jira needs credentials: JIRA_EMAIL and JIRA_API_TOKEN (Cloud), or JIRA_PAT (Data Center)',
    );
    const dc = await rejection(
      create(
        { url: 'https://jira.corp', deployment: 'data_center' },
        { JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 't' },
      ),
    );
    expect(dc.message).toBe('tasks.jira (Data Center) needs a personal access token: set JIRA_PAT');
    const fake = await startJiraFake();
    const viaBaseUrl = await create(
      { base_url: fake.url },
      { JIRA_EMAIL: 'dev@acme.test', JIRA_API_TOKEN: 'jira-token' },
    );
    expect(await (viaBaseUrl as JiraTasks).checkAuth()).toMatchObject({ ok: true, identity: 'Dev Eloper' });
  });
});
