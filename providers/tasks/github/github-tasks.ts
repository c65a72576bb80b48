// GitHub Issues as a tracker: status is open/closed plus configurable labels; `aidev plan` hierarchies use sub-issues
// and "blocked by" dependencies where the server has them (github.com), and fall back to a task list / a "Blocked by"
// line in the issue body where it does not (older GitHub Enterprise Server answers 404 for those endpoints).
import type { AuthChecker, AuthStatus } from '../../capabilities.js';
import { AidevError } from '../../../src/core/errors.js';
import { checkGitHubAuth } from '../../shared/github/auth.js';
import { createGitHubClient, GITHUB_API, type GitHubClient } from '../../shared/github/client.js';
import { githubError, isGitHubRequestError } from '../../shared/github/errors.js';
import { resolveRepoRef, type RepoRef } from '../../shared/github/repo-ref.js';
import type {
  LinkKind,
  NewTask,
  ProviderContext,
  Task,
  TaskComment,
  TaskFilter,
  TasksProvider,
  TaskStatus,
} from '../../types.js';
import type { GithubTasksConfig } from './config.js';
import {
  formatIssueRef,
  isStatusLabel,
  labelsFor,
  parseIssueRef,
  statusLabels,
  statusOf,
  type IssueRef,
  type StatusLabels,
} from './issue-ref.js';

interface IssueData {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  labels: (string | { name?: string })[];
  assignees?: { login: string }[] | null;
  pull_request?: unknown;
  type?: { name?: string } | null;
  parent_issue_url?: string | null;
  issue_dependencies_summary?: { blocked_by: number } | null;
}

type Signal = { signal?: AbortSignal };
const TYPE_LABELS = ['epic', 'story', 'bug', 'feature', 'subtask'];
const BLOCKED_BY = /^Blocked by ((?:[\w.-]+\/[\w.-]+)?#\d+)\s*$/gim;

export class GithubTasks implements TasksProvider, AuthChecker {
  readonly id = 'github';
  readonly #ctx: ProviderContext<GithubTasksConfig>;
  readonly #octokit: GitHubClient;
  readonly #baseUrl: string;
  readonly #labels: StatusLabels;
  #home: Promise<RepoRef> | undefined;

  constructor(
    ctx: ProviderContext<GithubTasksConfig>,
    options: { token: string; pacing?: boolean | undefined },
  ) {
    this.#ctx = ctx;
    this.#baseUrl = ctx.settings.base_url ?? GITHUB_API;
    this.#labels = statusLabels(ctx.settings.status_mapping);
    this.#octokit = createGitHubClient({
      token: options.token,
      baseUrl: this.#baseUrl,
      logger: ctx.logger,
      pacing: options.pacing,
    });
  }

  async getTask(id: string, opts: Signal = {}): Promise<Task> {
    const ref = await this.#ref(id);
    const home = await this.#homeRef();
    const issue = await this.#issue(ref, opts);
    const task = this.#toTask(ref, issue, home);
    if ((issue.issue_dependencies_summary?.blocked_by ?? 0) > 0) {
      const { data } = await this.#call(`read what blocks ${this.#show(ref, task)}`, () =>
        this.#octokit.rest.issues.listDependenciesBlockedBy({
          ...repoOf(ref),
          issue_number: ref.number,
          per_page: 100,
          request: { signal: opts.signal },
        }),
      );
      const blockers = data.map((d) =>
        formatIssueRef({ ...refFromUrl(d.html_url, ref), number: d.number }, home),
      );
      task.dependsOn = [...new Set([...blockers, ...task.dependsOn])];
    }
    return task;
  }

  async listTasks(filter: TaskFilter = {}, opts: Signal = {}): Promise<Task[]> {
    const home = await this.#homeRef();
    const limit = filter.limit ?? 100;
    const statusLabel =
      filter.status === 'in_progress' || filter.status === 'in_review'
        ? this.#labels[filter.status][0]
        : undefined;
    const labels = [filter.label, statusLabel].filter((l): l is string => Boolean(l));
    const out: Task[] = [];
    const pages = this.#octokit.paginate.iterator(this.#octokit.rest.issues.listForRepo, {
      ...home,
      state: filter.status === 'done' ? 'closed' : 'open',
      ...(labels.length ? { labels: labels.join(',') } : {}),
      ...(filter.assignee ? { assignee: filter.assignee } : {}),
      per_page: Math.min(100, Math.max(limit, 10)),
      request: { signal: opts.signal },
    });
    try {
      for await (const { data } of pages) {
        for (const issue of data as IssueData[]) {
          if (issue.pull_request) continue; // the issues API lists pull requests too
          const task = this.#toTask({ ...home, number: issue.number }, issue, home);
          if (!filter.status || task.status === filter.status) out.push(task);
          if (out.length >= limit) return out;
        }
      }
    } catch (error) {
      throw githubError(
        error,
        this.#at(`list issues of ${home.owner}/${home.repo}`, `the repository ${home.owner}/${home.repo}`),
      );
    }
    return out;
  }

  async createTask(input: NewTask, opts: Signal = {}): Promise<Task> {
    if (!input.title.trim())
      throw new AidevError('USAGE', 'a task needs a title', { hint: 'aidev tasks create "Add login"' });
    const home = await this.#homeRef();
    const type = input.type && input.type !== 'task' ? input.type : undefined;
    const useTypes = this.#ctx.settings.issue_types;
    const { data } = await this.#call(`create an issue in ${home.owner}/${home.repo}`, () =>
      this.#octokit.rest.issues.create({
        ...home,
        title: input.title.trim(),
        body: input.description ?? '',
        labels: [...(input.labels ?? []), ...(type && !useTypes ? [type] : [])],
        ...(input.assignee ? { assignees: [input.assignee] } : {}),
        ...(type && useTypes ? { type: type.charAt(0).toUpperCase() + type.slice(1) } : {}),
        request: { signal: opts.signal },
      }),
    );
    const ref = { ...home, number: data.number };
    const task = this.#toTask(ref, data, home);
    if (input.parentId) {
      await this.link(task.id, input.parentId, 'parent', opts);
      task.parentId = formatIssueRef(parseIssueRef(input.parentId, home), home);
    }
    for (const dependency of input.dependsOn ?? []) await this.link(dependency, task.id, 'blocks', opts);
    task.dependsOn = (input.dependsOn ?? []).map((d) => formatIssueRef(parseIssueRef(d, home), home));
    return task;
  }

  async updateStatus(id: string, status: TaskStatus, opts: Signal = {}): Promise<Task> {
    const ref = await this.#ref(id);
    const issue = await this.#issue(ref, opts);
    const labels = labelsFor(status, issue.labels.map(labelName), this.#labels);
    const { data } = await this.#call(`move ${this.#show(ref)} to ${status}`, () =>
      this.#octokit.rest.issues.update({
        ...repoOf(ref),
        issue_number: ref.number,
        labels,
        state: status === 'done' ? 'closed' : 'open',
        ...(status === 'done' ? { state_reason: 'completed' as const } : {}),
        request: { signal: opts.signal },
      }),
    );
    return this.#toTask(ref, data, await this.#homeRef());
  }

  async addComment(id: string, body: string, opts: Signal = {}): Promise<TaskComment> {
    const ref = await this.#ref(id);
    const { data } = await this.#call(
      `comment on ${this.#show(ref)}`,
      () =>
        this.#octokit.rest.issues.createComment({
          ...repoOf(ref),
          issue_number: ref.number,
          body,
          request: { signal: opts.signal },
        }),
      `issue ${this.#show(ref)}`,
    );
    return { id: String(data.id), url: data.html_url };
  }

  /** `a blocks b`: b is blocked by a. `a parent b`: a becomes a sub-issue of b. `relates`: a line in a's body. */
  async link(fromId: string, toId: string, kind: LinkKind, opts: Signal = {}): Promise<void> {
    const from = await this.#ref(fromId);
    const to = await this.#ref(toId);
    const home = await this.#homeRef();
    const request = { signal: opts.signal };
    if (kind === 'relates') return this.#appendLine(from, `Related to ${formatIssueRef(to, home)}`, opts);
    const source = await this.#issue(from, opts);
    try {
      if (kind === 'blocks')
        await this.#octokit.rest.issues.addBlockedByDependency({
          ...repoOf(to),
          issue_number: to.number,
          issue_id: source.id,
          request,
        });
      else
        await this.#octokit.rest.issues.addSubIssue({
          ...repoOf(to),
          issue_number: to.number,
          sub_issue_id: source.id,
          request,
        });
    } catch (error) {
      // 404: this server has no such endpoint (GitHub Enterprise Server before sub-issues); write it in the body.
      if (!(isGitHubRequestError(error) && error.status === 404))
        throw githubError(
          error,
          this.#at(`link ${this.#show(from)} to ${this.#show(to)}`, `issue ${this.#show(to)}`),
        );
      this.#ctx.logger.debug(`${kind} link: the API answered 404, writing it into the issue body instead`);
      // Body lines name issues relative to the issue they are written in.
      const named = formatIssueRef(from, repoOf(to));
      await this.#appendLine(to, kind === 'blocks' ? `Blocked by ${named}` : `- [ ] ${named}`, opts);
    }
  }

  async checkAuth(opts: Signal = {}): Promise<AuthStatus> {
    return checkGitHubAuth(this.#octokit, {
      baseUrl: this.#baseUrl,
      path: this.#ctx.path,
      signal: opts.signal,
    });
  }

  async #appendLine(ref: IssueRef, line: string, opts: Signal): Promise<void> {
    const issue = await this.#issue(ref, opts);
    const body = issue.body ?? '';
    if (body.split('\n').some((l) => l.trim() === line)) return;
    await this.#call(`update ${this.#show(ref)}`, () =>
      this.#octokit.rest.issues.update({
        ...repoOf(ref),
        issue_number: ref.number,
        body: body.trim() ? `${body.trimEnd()}\n${line}\n` : `${line}\n`,
        request: { signal: opts.signal },
      }),
    );
  }

  async #issue(ref: IssueRef, opts: Signal): Promise<IssueData> {
    let data: IssueData;
    try {
      data = (
        await this.#octokit.rest.issues.get({
          ...repoOf(ref),
          issue_number: ref.number,
          request: { signal: opts.signal },
        })
      ).data;
    } catch (error) {
      if (isGitHubRequestError(error) && (error.status === 404 || error.status === 410))
        throw new AidevError(
          'TASK_NOT_FOUND',
          `issue ${this.#show(ref)} not found in ${ref.owner}/${ref.repo}`,
          {
            hint: `list the open issues with \`aidev tasks list\`; check ${this.#ctx.path}.owner/repo and that the token can see the repository`,
            cause: error,
          },
        );
      throw githubError(error, this.#at(`read issue ${this.#show(ref)}`));
    }
    if (data.pull_request)
      throw new AidevError('TASK_NOT_FOUND', `${this.#show(ref)} is a pull request, not an issue`, {
        hint: 'give the id of an issue',
      });
    return data;
  }

  #toTask(ref: IssueRef, issue: IssueData, home: RepoRef): Task {
    const labels = issue.labels.map(labelName).filter(Boolean);
    const typeName =
      issue.type?.name?.toLowerCase() ??
      labels.map((l) => l.toLowerCase()).find((l) => TYPE_LABELS.includes(l));
    const parent = issue.parent_issue_url ? refFromUrl(issue.parent_issue_url, ref) : undefined;
    const body = issue.body ?? '';
    return {
      id: formatIssueRef(ref, home),
      type: typeName ?? 'task',
      title: issue.title,
      description: body,
      status: statusOf(issue.state, labels, this.#labels),
      assignee: issue.assignees?.[0]?.login ?? null,
      labels: labels.filter((l) => !isStatusLabel(l, this.#labels)),
      url: issue.html_url,
      parentId: parent ? formatIssueRef(parent, home) : undefined,
      dependsOn: [...body.matchAll(BLOCKED_BY)].map((m) => formatIssueRef(parseIssueRef(m[1]!, ref), home)),
    };
  }

  async #call<T>(action: string, call: () => Promise<T>, notFound?: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw githubError(error, this.#at(action, notFound));
    }
  }

  async #ref(id: string): Promise<IssueRef> {
    return parseIssueRef(id, await this.#homeRef());
  }

  #homeRef(): Promise<RepoRef> {
    this.#home ??= resolveRepoRef({
      owner: this.#ctx.settings.owner,
      repo: this.#ctx.settings.repo,
      repoRoot: this.#ctx.repoRoot,
      remote: this.#ctx.gitRemote,
      path: this.#ctx.path,
    });
    return this.#home;
  }

  #show(ref: IssueRef, task?: Task): string {
    return task?.id ?? `${ref.owner}/${ref.repo}#${ref.number}`;
  }

  #at(action: string, notFound?: string) {
    return {
      action,
      path: this.#ctx.path,
      baseUrl: this.#baseUrl,
      notFound,
      needs: 'Issues: write',
    };
  }
}

function labelName(label: string | { name?: string }): string {
  return typeof label === 'string' ? label : (label.name ?? '');
}

function repoOf(ref: IssueRef): RepoRef {
  return { owner: ref.owner, repo: ref.repo };
}

/** owner/repo of an issue URL (API or web), defaulting to `fallback`'s. */
function refFromUrl(url: string, fallback: RepoRef): IssueRef {
  const match = /\/(?:repos\/)?([\w.-]+)\/([\w.-]+)\/(?:issues|pull)\/(\d+)\/?$/.exec(url);
  return match
    ? { owner: match[1]!, repo: match[2]!, number: Number(match[3]) }
    : { ...fallback, number: Number(/(\d+)\/?$/.exec(url)?.[1] ?? 0) };
}
