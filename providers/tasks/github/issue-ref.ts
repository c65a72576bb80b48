// GitHub issue ids as aidev shows them: `#123` in the configured repository, `owner/repo#123` elsewhere. Also reads
// issue URLs (web and API) and maps issue state + labels to the standard status and back.
import { AidevError } from '../../../src/core/errors.js';
import type { TaskStatus } from '../../types.js';
import type { RepoRef } from '../../shared/github/repo-ref.js';

export interface IssueRef extends RepoRef {
  number: number;
}

const FORMS = '#123, 123, owner/repo#123 or an issue URL';

export function parseIssueRef(id: string, home: RepoRef): IssueRef {
  const text = id.trim();
  const short = /^#?(\d+)$/.exec(text);
  if (short) return { ...home, number: Number(short[1]) };
  const long = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(text);
  if (long) return { owner: long[1]!, repo: long[2]!, number: Number(long[3]) };
  const url = /\/(?:repos\/)?([\w.-]+)\/([\w.-]+)\/(?:issues|pull)\/(\d+)\/?$/.exec(text);
  if (url && /^https?:\/\//.test(text)) return { owner: url[1]!, repo: url[2]!, number: Number(url[3]) };
  throw new AidevError('TASK_NOT_FOUND', `"${id}" is not a GitHub issue id`, { hint: `use ${FORMS}` });
}

export function formatIssueRef(ref: IssueRef, home: RepoRef): string {
  const same =
    ref.owner.toLowerCase() === home.owner.toLowerCase() &&
    ref.repo.toLowerCase() === home.repo.toLowerCase();
  return same ? `#${ref.number}` : `${ref.owner}/${ref.repo}#${ref.number}`;
}

export interface StatusLabels {
  todo: string[];
  in_progress: string[];
  in_review: string[];
  done: string[];
}

type Mapping = Partial<Record<TaskStatus, string | string[] | undefined>>;

export function statusLabels(mapping: Mapping | undefined): StatusLabels {
  const names = (status: TaskStatus, fallback: string[]): string[] => {
    const value = mapping?.[status];
    return value === undefined ? fallback : Array.isArray(value) ? value : [value];
  };
  return {
    todo: names('todo', []),
    in_progress: names('in_progress', ['in progress']),
    in_review: names('in_review', ['in review']),
    done: names('done', []),
  };
}

/** closed → done; open → the furthest status whose label it carries (in_review over in_progress), else todo. */
export function statusOf(state: string, labels: string[], map: StatusLabels): TaskStatus {
  if (state === 'closed') return 'done';
  const has = (names: string[]) => names.some((n) => labels.some((l) => l.toLowerCase() === n.toLowerCase()));
  if (has(map.in_review)) return 'in_review';
  if (has(map.in_progress)) return 'in_progress';
  return 'todo';
}

/** The issue's labels for `status`: every status label removed, the first label of the new status added. */
export function labelsFor(status: TaskStatus, labels: string[], map: StatusLabels): string[] {
  const all = [...map.todo, ...map.in_progress, ...map.in_review, ...map.done].map((l) => l.toLowerCase());
  const kept = labels.filter((l) => !all.includes(l.toLowerCase()));
  const add = map[status][0];
  return add ? [...kept, add] : kept;
}

export function isStatusLabel(label: string, map: StatusLabels): boolean {
  return [...map.todo, ...map.in_progress, ...map.in_review, ...map.done].some(
    (l) => l.toLowerCase() === label.toLowerCase(),
  );
}
