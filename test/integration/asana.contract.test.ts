// Asana contract: the fake validates every request tasks.asana sends (through the real `asana` SDK) and every answer it
// gives against the document derived from the asana package's operations and @types/asana's resources; ids, statuses
// as sections, subtasks, tags, dependencies, stories, pagination, errors with hints and rate limits hold against it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deriveOpenApi,
  installedVersion,
  type DeriveManifest,
} from '../../scripts/contracts/derive-openapi.js';
import { asanaTasksConfigSchema, type AsanaTasksConfig } from '../../providers/tasks/asana/config.js';
import { asanaTasksProvider } from '../../providers/tasks/asana/index.js';
import type { AsanaTasks } from '../../providers/tasks/asana/asana-tasks.js';
import { AidevError } from '../../src/core/errors.js';
import { ASANA_DOC, PROJECT, startAsanaFake, type AsanaFake } from '../helpers/contract/asana-fake.js';
import { providerContext } from '../helpers/provider-context.js';

const TOKEN = 'asana-test-token';
const SECTIONS = { todo: 'To do', in_progress: 'Doing', in_review: 'Review', done: 'Done' };

async function setup(
  settings: Partial<AsanaTasksConfig> = {},
): Promise<{ fake: AsanaFake; asana: AsanaTasks }> {
  const fake = await startAsanaFake({ token: TOKEN });
  const parsed = asanaTasksConfigSchema.parse({
    base_url: fake.baseUrl,
    project: PROJECT,
    sections: SECTIONS,
    ...settings,
  });
  const ctx = providerContext(parsed, { repoRoot: '/tmp', env: { ASANA_TOKEN: TOKEN }, path: 'tasks.asana' });
  return { fake, asana: (await asanaTasksProvider.create(ctx)) as AsanaTasks };
}

async function caught(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe('the Asana contract document', () => {
  it('is derived from the installed asana and @types/asana packages, and regenerates byte for byte', () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, '../fixtures/contracts/asana.derive.json'), 'utf8'),
    ) as DeriveManifest;
    const committed = JSON.parse(readFileSync(ASANA_DOC, 'utf8')) as {
      info: { 'x-packages': Record<string, string> };
    };
    expect(committed.info['x-packages']).toEqual({
      asana: installedVersion('asana'),
      '@types/asana': installedVersion('@types/asana'),
    });
    // On a package bump: node --import tsx scripts/contracts/derive-openapi.ts test/fixtures/contracts/asana.derive.json
    expect(deriveOpenApi(manifest)).toEqual(committed);
  }, 60_000);

  it('makes the fake reject a task body with a field Asana does not have', async () => {
    const { fake } = await setup();
    await fetch(`${fake.baseUrl}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ data: { name: 'x', projects: [PROJECT], labels: ['bug'] } }),
    });
    expect(fake.api.violations).toEqual([
      expect.stringContaining('request body/data must NOT have additional properties'),
    ]);
    fake.api.violations.length = 0; // seen on purpose
  });
});

describe('tasks.asana', () => {
  it('reads a task by gid, asana:<gid> or URL: notes, tags as labels, parent, dependencies, status from its section', async () => {
    const { fake, asana } = await setup();
    const blocker = fake.addTask({ name: 'Schema' });
    const epic = fake.addTask({ name: 'Auth epic' });
    const t = fake.addTask({
      name: 'Login',
      notes: '# Do it',
      tags: ['4001'],
      parent: epic.gid,
      dependencies: [blocker.gid],
      section: '3003',
    });
    const expected = {
      id: t.gid,
      title: 'Login',
      description: '# Do it',
      status: 'in_review',
      labels: ['backend'],
      parentId: epic.gid,
      dependsOn: [blocker.gid],
      url: `https://app.asana.com/0/${PROJECT}/${t.gid}`,
    };
    expect(await asana.getTask(t.gid)).toMatchObject(expected);
    expect(await asana.getTask(`asana:${t.gid}`)).toMatchObject(expected);
    expect(await asana.getTask(`https://app.asana.com/0/${PROJECT}/${t.gid}/f`)).toMatchObject(expected);
    expect(
      await asana.getTask(`https://app.asana.com/1/${'1000'}/project/${PROJECT}/task/${t.gid}`),
    ).toMatchObject(expected);
    const bad = await caught(asana.getTask('ENG-1'));
    expect(bad.hint).toContain('asana:<gid>');
  });

  it('moves a task through the sections, and done also completes it', async () => {
    const { fake, asana } = await setup();
    const t = fake.addTask({ name: 'Login' });
    expect((await asana.updateStatus(t.gid, 'in_progress')).status).toBe('in_progress');
    expect(fake.tasks.get(t.gid)).toMatchObject({ section: '3002', completed: false });
    expect((await asana.updateStatus(t.gid, 'done')).status).toBe('done');
    expect(fake.tasks.get(t.gid)).toMatchObject({ section: '3004', completed: true });
    expect((await asana.getTask(t.gid)).status).toBe('done');
    expect((await asana.updateStatus(t.gid, 'in_review')).status).toBe('in_review');
    expect(fake.tasks.get(t.gid)).toMatchObject({ section: '3003', completed: false });
  });

  it('creates tasks in the todo section with tags (reused or created), subtasks, and dependencies; comments as stories', async () => {
    const { fake, asana } = await setup();
    const epic = await asana.createTask({ title: 'Auth', description: 'epic', type: 'epic' });
    const first = await asana.createTask({ title: 'Schema', parentId: epic.id, labels: ['backend', 'db'] });
    const second = await asana.createTask({ title: 'Login', parentId: epic.id, dependsOn: [first.id] });
    expect(fake.tasks.get(first.id)).toMatchObject({ parent: epic.id, section: '3001', projects: [PROJECT] });
    expect(first.labels).toEqual(['backend', 'db']);
    expect(fake.tags.map((t) => t.name)).toEqual(['backend', 'db']);
    expect(second).toMatchObject({ parentId: epic.id, dependsOn: [first.id], status: 'todo' });
    expect(fake.tasks.get(second.id)!.dependencies).toEqual([first.id]);
    await asana.link(first.id, epic.id, 'blocks');
    expect(fake.tasks.get(epic.id)!.dependencies).toEqual([first.id]);
    const comment = await asana.addComment(second.id, 'Pull request: https://example.test/pr/1');
    expect(comment.id).toBeTruthy();
    expect(fake.tasks.get(second.id)!.stories).toEqual(['Pull request: https://example.test/pr/1']);
  });

  it('lists the project’s open tasks across pages, with filters', async () => {
    const { fake, asana } = await setup();
    fake.maxLimit = 2;
    for (const name of ['a', 'b', 'c', 'd', 'e']) fake.addTask({ name, tags: name === 'c' ? ['4001'] : [] });
    fake.addTask({ name: 'closed', completed: true });
    const all = await asana.listTasks();
    expect(all.map((t) => t.title)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fake.api.calls('TasksApi.getTasks').map((c) => c.query.get('offset'))).toEqual([null, '2', '4']);
    expect((await asana.listTasks({ label: 'backend' })).map((t) => t.title)).toEqual(['c']);
    expect((await asana.listTasks({ limit: 1 })).map((t) => t.title)).toEqual(['a']);
  });

  it('without a sections block only done changes anything: the completed flag', async () => {
    const { fake, asana } = await setup({ sections: {} });
    const t = fake.addTask({ name: 'Login', section: '3002' });
    await asana.updateStatus(t.gid, 'in_review');
    expect(fake.tasks.get(t.gid)).toMatchObject({ section: '3002', completed: false });
    await asana.updateStatus(t.gid, 'done');
    expect(fake.tasks.get(t.gid)).toMatchObject({ section: '3002', completed: true });
    expect(fake.api.calls('SectionsApi.addTaskForSection')).toHaveLength(0);
    expect(fake.api.calls('SectionsApi.getSectionsForProject')).toHaveLength(0);
  });

  it('names the missing section and the sections the project has', async () => {
    const { fake, asana } = await setup({ sections: { ...SECTIONS, in_review: 'QA' } });
    const t = fake.addTask({ name: 'Login' });
    const error = await caught(asana.updateStatus(t.gid, 'in_review'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('tasks.asana.sections.in_review');
    expect(error.hint).toContain('To do, Doing, Review, Done');
  });
});

describe('tasks.asana errors and rate limits', () => {
  it('401 names ASANA_TOKEN; checkAuth reports it without throwing', async () => {
    const { fake, asana } = await setup();
    const t = fake.addTask({ name: 'x' });
    fake.fail('TasksApi.getTask', { status: 401, body: { errors: [{ message: 'Not Authorized' }] } });
    const error = await caught(asana.getTask(t.gid));
    expect(error.hint).toContain('ASANA_TOKEN (or tasks.asana.token)');
    fake.fail('UsersApi.getUser', { status: 401, body: { errors: [{ message: 'Not Authorized' }] } });
    expect(await asana.checkAuth()).toMatchObject({ ok: false });
    expect(await asana.checkAuth()).toMatchObject({ ok: true, identity: 'bot@example.com' });
  });

  it('403 names the access and scope; 404 the id; 400 the field', async () => {
    const { fake, asana } = await setup();
    const t = fake.addTask({ name: 'x' });
    fake.fail('StoriesApi.createStoryForTask', { status: 403, body: { errors: [{ message: 'Forbidden' }] } });
    expect((await caught(asana.addComment(t.gid, 'hi'))).hint).toContain('stories:write');
    const missing = await caught(asana.getTask('999999'));
    expect(missing.message).toContain('the task 999999 was not found');
    fake.fail('TasksApi.createTask', { status: 400, body: { errors: [{ message: 'name: Missing input' }] } });
    expect((await caught(asana.createTask({ title: 'x' }))).hint).toBe('fix name and retry');
  });

  it('429: waits as Asana asks, then succeeds; a wait over the cap is reported', async () => {
    const { fake, asana } = await setup();
    const t = fake.addTask({ name: 'x' });
    const limited = {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { errors: [{ message: 'Rate limit enforced' }] },
    };
    fake.fail('TasksApi.getTask', limited);
    expect((await asana.getTask(t.gid)).title).toBe('x');
    expect(fake.api.calls('TasksApi.getTask').map((c) => c.status)).toEqual([429, 200]);
    fake.fail('TasksApi.getTask', { ...limited, headers: { 'retry-after': '600' } });
    expect((await caught(asana.getTask(t.gid))).hint).toContain('wait 600s');
  });

  it('needs a token, and a project for project-wide calls', async () => {
    const none = providerContext(asanaTasksConfigSchema.parse({}), {
      repoRoot: '/tmp',
      env: {},
      path: 'tasks.asana',
    });
    expect((await caught(asanaTasksProvider.create(none))).code).toBe('ENV_MISSING');
    const { asana } = await setup({ project: undefined });
    expect((await caught(asana.listTasks())).hint).toContain('tasks.asana.project');
  });
});
