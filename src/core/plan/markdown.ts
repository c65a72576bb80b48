// Plan → Markdown and plain text: the "Project plan" docs page (with links to the tracker items), the scaffold's docs
// index, and the summary a person reads at an approval gate without the Ink review.
import { posix } from 'node:path';
import { allTasks, countsOf, type Plan } from './schema.js';
import type { PublishedItem } from './store.js';

export interface LinkOptions {
  /** Where the page itself lives, when it is a relative path (local docs): tracker paths are made relative to it. */
  pagePath?: string | null | undefined;
}

/** A tracker item as a Markdown link: a URL as is, a repo-relative path relative to the page. */
export function itemLink(item: PublishedItem, options: LinkOptions = {}): string {
  if (!item.url) return item.id;
  if (/^[a-z][a-z0-9+.-]*:/i.test(item.url) || !options.pagePath) return `[${item.id}](${item.url})`;
  const from = posix.dirname(options.pagePath.replaceAll('\\', '/'));
  return `[${item.id}](${posix.relative(from, item.url.replaceAll('\\', '/'))})`;
}

export function planMarkdown(
  plan: Plan,
  options: LinkOptions & { planId: string; items?: readonly PublishedItem[] | undefined; title?: boolean },
): string {
  const byKey = new Map((options.items ?? []).map((i) => [i.key, i]));
  const ref = (key: string) => {
    const item = byKey.get(key);
    return item ? itemLink(item, options) : key;
  };
  const counts = countsOf(plan);
  const lines: string[] = [];
  if (options.title !== false) lines.push(`# Project plan: ${plan.project.name}`, '');
  if (plan.project.summary) lines.push(plan.project.summary.trim(), '');
  lines.push(
    `${counts.epics} epics, ${counts.tasks} tasks, ${counts.dependencies} dependencies. Plan \`${options.planId}\`, written by \`aidev plan\`.`,
    '',
  );
  for (const epic of plan.epics) {
    lines.push(`## ${epic.title} (${ref(epic.key)})`, '');
    if (epic.description.trim()) lines.push(epic.description.trim(), '');
    lines.push('| Task | Title | Estimate | Depends on |', '| --- | --- | --- | --- |');
    for (const task of epic.tasks) {
      const deps = task.depends_on.map(ref).join(', ') || '–';
      lines.push(`| ${ref(task.key)} | ${cell(task.title)} | ${task.estimate ?? '–'} | ${deps} |`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd() + '\n';
}

/** A compact text tree for terminals and approval prompts. */
export function planText(plan: Plan): string {
  const counts = countsOf(plan);
  const lines = [
    `${plan.project.name}: ${counts.epics} epics, ${counts.tasks} tasks, ${counts.dependencies} dependencies`,
  ];
  for (const epic of plan.epics) {
    lines.push(`${epic.key}  ${epic.title}`);
    for (const task of epic.tasks) {
      const est = task.estimate !== undefined ? `  [${task.estimate}]` : '';
      const deps = task.depends_on.length ? `  ← ${task.depends_on.join(', ')}` : '';
      lines.push(`  ${task.key}  ${task.title}${est}${deps}`);
    }
  }
  return lines.join('\n');
}

export function totalEstimate(plan: Plan): number {
  return allTasks(plan).reduce(
    (sum, { task }) => sum + (typeof task.estimate === 'number' ? task.estimate : 0),
    0,
  );
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s+/g, ' ');
}
