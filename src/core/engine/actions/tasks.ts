// Task tracker actions: tasks.get, tasks.update_status, tasks.comment, tasks.create. Every write is a ctx.effect, so a
// resumed run never comments twice; update_status remembers the old status so rollback can restore it.
import { z } from 'zod';
import { TASK_STATUSES, type Task, type TaskStatus } from '../../../../providers/types.js';
import type { ProviderAction } from '../types.js';
import { signalOf, taskIdOf } from './shared.js';

const taskRef = {
  id: z.string().min(1).optional().describe('task id (default: the run’s task)'),
  task_id: z.string().min(1).optional().describe('same as id (specification form)'),
};

export const tasksActions: ProviderAction[] = [
  {
    name: 'tasks.get',
    description: 'Reads a task from the tracker; it becomes ${task} for later steps',
    input: z.strictObject(taskRef),
    outputs: ['task'],
    async run(input, ctx) {
      const tasks = await ctx.providers.get('tasks');
      const task = await tasks.getTask(taskIdOf(input, ctx), signalOf(ctx));
      ctx.state.task = task;
      return { task };
    },
  },
  {
    name: 'tasks.update_status',
    description: 'Moves a task to todo, in_progress, in_review or done (rollback restores the old status)',
    input: z.strictObject({ ...taskRef, status: z.enum(TASK_STATUSES) }),
    outputs: ['task', 'status', 'previous_status'],
    async run(input, ctx) {
      const { status } = input as { status: TaskStatus };
      const id = taskIdOf(input, ctx);
      const tasks = await ctx.providers.get('tasks');
      const result = await ctx.effect('status', 'tasks.update_status', async () => {
        const before = await tasks.getTask(id, signalOf(ctx));
        const task = await tasks.updateStatus(id, status, signalOf(ctx));
        return { externalId: `${id}:${status}`, result: { task, previous_status: before.status } };
      });
      if (ctx.task()?.id === id) ctx.state.task = result.task;
      return { task: result.task, status, previous_status: result.previous_status };
    },
    async compensate(input, output, ctx) {
      const previous = output.previous_status as TaskStatus | undefined;
      if (!previous || previous === output.status) return;
      const id = taskIdOf(input, ctx);
      const tasks = await ctx.providers.get('tasks');
      await ctx.effect('restore-status', 'tasks.update_status', async () => {
        const task = await tasks.updateStatus(id, previous, signalOf(ctx));
        return { externalId: `${id}:${previous}`, result: task };
      });
    },
  },
  {
    name: 'tasks.comment',
    description: 'Adds a comment to a task',
    input: z.strictObject({ ...taskRef, body: z.string().min(1, 'the comment body is empty') }),
    outputs: ['comment_id', 'url'],
    async run(input, ctx) {
      const id = taskIdOf(input, ctx);
      const tasks = await ctx.providers.get('tasks');
      return ctx.effect('comment', 'tasks.comment', async () => {
        const comment = await tasks.addComment(id, (input as { body: string }).body, signalOf(ctx));
        return { externalId: comment.id, result: { comment_id: comment.id, url: comment.url ?? null } };
      });
    },
  },
  {
    name: 'tasks.create',
    description: 'Creates a task (or an epic, a story…)',
    input: z.strictObject({
      title: z.string().min(1),
      description: z.string().optional(),
      type: z.string().optional(),
      labels: z.array(z.string()).optional(),
      assignee: z.string().optional(),
      parent: z.string().optional(),
      depends_on: z.array(z.string()).optional(),
      estimate: z.union([z.string(), z.number()]).optional(),
    }),
    outputs: ['task', 'id', 'url'],
    async run(input, ctx) {
      const i = input as {
        title: string;
        description?: string;
        type?: string;
        labels?: string[];
        assignee?: string;
        parent?: string;
        depends_on?: string[];
        estimate?: string | number;
      };
      const tasks = await ctx.providers.get('tasks');
      const task: Task = await ctx.effect('task', 'tasks.create', async () => {
        const created = await tasks.createTask(
          {
            title: i.title,
            description: i.description,
            type: i.type,
            labels: i.labels,
            assignee: i.assignee,
            parentId: i.parent,
            dependsOn: i.depends_on,
            estimate: i.estimate,
          },
          signalOf(ctx),
        );
        return { externalId: created.id, result: created };
      });
      return { task, id: task.id, url: task.url };
    },
  },
];
