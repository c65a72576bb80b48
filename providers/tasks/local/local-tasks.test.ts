import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerContext, steppingClock } from '../../../test/helpers/provider-context.js';
import { repoRoot, tempDir } from '../../../test/helpers/temp.js';
import { AidevError } from '../../../src/core/errors.js';
import { localTasksConfigSchema } from './config.js';
import { LocalTasks } from './local-tasks.js';

function tracker(dir = tempDir(), settings: Record<string, unknown> = {}) {
  return {
    dir,
    tasks: new LocalTasks(
      providerContext(localTasksConfigSchema.parse(settings), { repoRoot: dir, clock: steppingClock() }),
    ),
  };
}

async function rejection(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe('LocalTasks', () => {
  it('creates, reads, filters, updates and comments in the documented format', async () => {
    const { dir, tasks } = tracker();
    const a = await tasks.createTask({
      title: 'Add login',
      description: 'Email + password',
      labels: ['auth'],
      assignee: 'ai',
    });
    const b = await tasks.createTask({ title: 'Logout' });
    expect([a.id, b.id]).toEqual(['TASK-1', 'TASK-2']);
    expect(await tasks.listTasks({ label: 'auth' })).toHaveLength(1);
    expect(await tasks.listTasks({ assignee: 'ai' })).toEqual([expect.objectContaining({ id: 'TASK-1' })]);
    await tasks.updateStatus('TASK-1', 'in_review');
    await tasks.addComment('task-1', 'PR: https://example.test/pr/1');
    await tasks.addComment('TASK-1', 'second note');
    expect(await tasks.listTasks({ status: 'in_review' })).toEqual([
      expect.objectContaining({ id: 'TASK-1' }),
    ]);
    const text = readFileSync(join(dir, '.aidev/tasks/TASK-1.md'), 'utf8');
    expect(text).toMatch(/^---\nid: TASK-1\ntitle: Add login\n/);
    expect(text).toContain('status: in_review');
    expect(text).toMatch(
      /## Comments\n\n### 2026-11-25T10:00:\d\d\.000Z — aidev\n\nPR: https:\/\/example\.test\/pr\/1\n\n### .* — aidev\n\nsecond note/,
    );
    const again = await tasks.getTask('TASK-1');
    expect(again.description).toBe('Email + password');
  });

  it('links: blocks adds a dependency, parent sets the parent', async () => {
    const { tasks } = tracker();
    await tasks.createTask({ title: 'a' });
    await tasks.createTask({ title: 'b' });
    await tasks.link('TASK-1', 'TASK-2', 'blocks');
    await tasks.link('TASK-2', 'TASK-1', 'parent');
    const b = await tasks.getTask('TASK-2');
    expect(b.dependsOn).toEqual(['TASK-1']);
    expect(b.parentId).toBe('TASK-1');
  });

  it('uses the configured prefix and status mapping', async () => {
    const { dir, tasks } = tracker(tempDir(), { prefix: 'AUTH', status_mapping: { in_review: 'Review' } });
    const t = await tasks.createTask({ title: 'x' });
    expect(t.id).toBe('AUTH-1');
    await tasks.updateStatus('AUTH-1', 'in_review');
    expect(readFileSync(join(dir, '.aidev/tasks/AUTH-1.md'), 'utf8')).toContain('status: Review');
    expect((await tasks.getTask('AUTH-1')).status).toBe('in_review');
  });

  it('names the file and line of broken front matter', async () => {
    const { dir, tasks } = tracker();
    await tasks.createTask({ title: 'x' });
    const path = join(dir, '.aidev/tasks/TASK-1.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('labels: []', 'labels: [oops'));
    const error = await rejection(tasks.getTask('TASK-1'));
    expect(error.code).toBe('TASK_FILE_INVALID');
    expect(error.message).toMatch(/^\.aidev\/tasks\/TASK-1\.md:\d+: /);
    writeFileSync(path, '---\nid: TASK-1\ntitle: x\nstatus: someday\n---\n');
    const status = await rejection(tasks.getTask('TASK-1'));
    expect(status.message).toBe('.aidev/tasks/TASK-1.md:4: unknown status "someday"');
  });

  it('says how to find tasks when the id is unknown', async () => {
    const { tasks } = tracker();
    const error = await rejection(tasks.getTask('TASK-404'));
    expect(error.code).toBe('TASK_NOT_FOUND');
    expect(error.hint).toContain('aidev tasks list');
  });

  it('gives distinct ids and keeps every comment when processes write at once', async () => {
    const dir = tempDir();
    const script = `
      const { LocalTasks } = await import(${JSON.stringify(join(repoRoot, 'dist/providers/tasks/local/local-tasks.js'))});
      const ctx = { settings: { dir: '.aidev/tasks', prefix: 'TASK' }, repoRoot: process.argv[1], runtime: { clock: { now: () => new Date() } } };
      const tasks = new LocalTasks(ctx);
      for (let i = 0; i < 10; i++) await tasks.createTask({ title: 'from ' + process.argv[2] + ' #' + i });
      for (let i = 0; i < 10; i++) await tasks.addComment('TASK-1', process.argv[2] + ' comment ' + i);`;
    const { tasks } = tracker(dir);
    await tasks.createTask({ title: 'shared' });
    const codes = await Promise.all(
      [1, 2, 3, 4].map(
        (n) =>
          new Promise<number | null>((done) => {
            spawn(process.execPath, ['--input-type=module', '-e', script, dir, `p${n}`], {
              stdio: ['ignore', 'ignore', 'inherit'],
            }).on('close', done);
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0]);
    const all = await tasks.listTasks();
    expect(all).toHaveLength(41);
    expect(new Set(all.map((t) => t.id)).size).toBe(41);
    const text = readFileSync(join(dir, '.aidev/tasks/TASK-1.md'), 'utf8');
    expect(text.match(/ comment \d/g)).toHaveLength(40);
  });
});
