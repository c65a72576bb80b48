// The local tracker's file format: YAML front matter (id, title, status, …), the description, then `## Comments`.
import { stringify } from 'yaml';
import { AidevError } from '../../../src/core/errors.js';
import { parseYamlSource } from '../../../src/core/yaml-source.js';
import { TASK_STATUSES, type Task, type TaskStatus } from '../../types.js';

export interface TaskFile {
  task: Task;
  created: string | null;
  updated: string | null;
  /** Everything from the `## Comments` heading on, kept verbatim. */
  comments: string;
  /** Front matter keys aidev does not know, kept so a rewrite loses nothing. */
  extra: Record<string, unknown>;
}

const KNOWN = new Set([
  'id',
  'title',
  'type',
  'status',
  'assignee',
  'labels',
  'parent',
  'depends_on',
  'estimate',
  'created',
  'updated',
]);
const COMMENTS = /^## Comments[ \t]*$/m;

export function parseTaskFile(
  text: string,
  file: string,
  statusOf: (raw: string) => TaskStatus | undefined,
): TaskFile {
  const bad = (
    line: number,
    message: string,
    hint = 'fix the front matter between the --- lines',
  ): AidevError => new AidevError('TASK_FILE_INVALID', `${file}:${line}: ${message}`, { hint });
  const normalized = text.replace(/\r\n/g, '\n');
  if (!normalized.startsWith('---\n'))
    throw bad(1, 'missing front matter (the file must start with a --- line)');
  const end = normalized.indexOf('\n---', 3);
  if (end < 0) throw bad(1, 'the front matter is not closed by a --- line');
  const yamlText = normalized.slice(4, end + 1);
  const source = parseYamlSource(yamlText, file);
  if (source.errors.length) {
    const first = source.errors[0]!;
    throw bad(first.pos.line + 1, first.message);
  }
  const meta = source.value;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta))
    throw bad(2, 'the front matter must be a mapping (key: value lines)');
  const data = meta as Record<string, unknown>;
  const line = (key: string): number => (source.positionOf([key])?.line ?? 1) + 1;

  const str = (key: string, required = false): string | null => {
    const value = data[key];
    if (value === undefined || value === null || value === '') {
      if (required) throw bad(2, `"${key}" is missing`);
      return null;
    }
    if (typeof value !== 'string' && typeof value !== 'number') throw bad(line(key), `"${key}" must be text`);
    return String(value);
  };
  const list = (key: string): string[] => {
    const value = data[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw bad(line(key), `"${key}" must be a list, e.g. ${key}: [a, b]`);
    return value.map(String);
  };

  const rawStatus = str('status') ?? 'todo';
  const status = statusOf(rawStatus);
  if (!status)
    throw bad(
      line('status'),
      `unknown status "${rawStatus}"`,
      `use one of ${TASK_STATUSES.join(', ')} (or map it in tasks.local.status_mapping)`,
    );

  const rest = normalized.slice(end + 4).replace(/^\n/, '');
  const match = COMMENTS.exec(rest);
  const description = (match ? rest.slice(0, match.index) : rest).trim();
  const estimate = data.estimate;
  const extra = Object.fromEntries(Object.entries(data).filter(([k]) => !KNOWN.has(k)));
  return {
    task: {
      id: str('id', true)!,
      type: str('type') ?? 'task',
      title: str('title', true)!,
      description,
      status,
      assignee: str('assignee'),
      labels: list('labels'),
      url: null,
      parentId: str('parent') ?? undefined,
      dependsOn: list('depends_on'),
      estimate: typeof estimate === 'string' || typeof estimate === 'number' ? estimate : undefined,
    },
    created: toIso(data.created),
    updated: toIso(data.updated),
    comments: match ? rest.slice(match.index) : '',
    extra,
  };
}

export function formatTaskFile(file: TaskFile, statusName: (status: TaskStatus) => string): string {
  const { task } = file;
  const meta: Record<string, unknown> = {
    id: task.id,
    title: task.title,
    type: task.type,
    status: statusName(task.status),
    assignee: task.assignee,
    labels: task.labels,
    parent: task.parentId ?? null,
    depends_on: task.dependsOn,
    ...(task.estimate !== undefined ? { estimate: task.estimate } : {}),
    created: file.created,
    updated: file.updated,
    ...file.extra,
  };
  const body = task.description ? `\n${task.description.trim()}\n` : '\n';
  const comments = file.comments ? `\n${file.comments.trim()}\n` : '';
  return `---\n${stringify(meta, { lineWidth: 0 })}---\n${body}${comments}`;
}

export function appendComment(file: TaskFile, body: string, at: string, author: string): TaskFile {
  const header = file.comments ? file.comments.trimEnd() : '## Comments';
  return { ...file, comments: `${header}\n\n### ${at} — ${author}\n\n${body.trim()}\n` };
}

function toIso(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : null;
}
