// CLI adapters for `aidev tasks …`: flags in, result object out, text rendering here.
import type { Task } from '../../../providers/types.js';
import { runTasksCreate, runTasksList, runTasksShow } from '../../commands/tasks.js';
import type { CliContext } from '../context.js';
import { table, truncate } from '../format.js';

export async function tasksListAction(
  ctx: CliContext,
  _args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const result = await runTasksList({
    ...ctx.global,
    filter: {
      status: opts.status as never,
      assignee: opts.assignee as string | undefined,
      label: opts.label as string | undefined,
      limit: opts.limit as number | undefined,
    },
  });
  ctx.print(result, () =>
    result.tasks.length
      ? table(
          result.tasks.map((t) => [t.id, t.status, t.assignee ?? '-', truncate(t.title, 60)]),
          ['ID', 'STATUS', 'ASSIGNEE', 'TITLE'],
        )
      : `no tasks in the ${result.provider} tracker yet; create one with: aidev tasks create "<title>"`,
  );
}

export async function tasksShowAction(ctx: CliContext, args: string[]): Promise<void> {
  const result = await runTasksShow({ ...ctx.global, id: args[0]! });
  ctx.print(result, () => formatTask(result.task));
}

export async function tasksCreateAction(
  ctx: CliContext,
  args: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const result = await runTasksCreate({
    ...ctx.global,
    task: {
      title: args[0]!,
      description: opts.description as string | undefined,
      type: opts.type as string | undefined,
      labels: opts.label as string[] | undefined,
      assignee: opts.assignee as string | undefined,
      parentId: opts.parent as string | undefined,
    },
  });
  ctx.print(
    result,
    `created ${result.task.id}: ${result.task.title}${result.task.url ? `  (${result.task.url})` : ''}`,
  );
}

export function formatTask(task: Task): string {
  const lines = [
    `${task.id}  ${task.title}`,
    `  type: ${task.type}   status: ${task.status}   assignee: ${task.assignee ?? '-'}`,
  ];
  if (task.labels.length) lines.push(`  labels: ${task.labels.join(', ')}`);
  if (task.parentId) lines.push(`  parent: ${task.parentId}`);
  if (task.dependsOn.length) lines.push(`  depends on: ${task.dependsOn.join(', ')}`);
  if (task.url) lines.push(`  url: ${task.url}`);
  if (task.description) lines.push('', task.description);
  return lines.join('\n');
}
