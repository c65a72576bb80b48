// The GitLab code host: pushes through git to the configured remote (the token rides an env-only credential helper for
// https remotes on this GitLab's host; ssh remotes push as they are), and opens, finds, updates, comments on and closes
// merge requests through gitbeaker. A re-run finds the MR by source branch and updates it instead of opening another.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectSchema } from '@gitbeaker/core';
import type {
  AuthChecker,
  AuthStatus,
  CreatedRepository,
  NewRepository,
  RepositoryCreator,
} from '../../capabilities.js';
import { pushBranch } from '../../../src/core/git/push.js';
import { readPullRequestTemplate, remoteUrl } from '../../shared/git-cli.js';
import { defaultRateLimitPolicy, withRateLimit, type RateLimitPolicy } from '../../shared/rate-limit.js';
import { parseRemotePath, tokenMayGoTo } from '../../shared/remote-path.js';
import type {
  OpenPullRequestInput,
  ProviderContext,
  PullRequest,
  RepoInfo,
  VcsProvider,
} from '../../types.js';
import {
  createGitlabClient,
  GITLAB_HOST,
  gitlabRetryAfter,
  withSignal,
  type GitlabClient,
} from './client.js';
import type { GitlabVcsConfig } from './config.js';
import { gitlabError, type GitlabErrorContext } from './errors.js';
import { draftTitle, iidOf, resolveProject, toPullRequest } from './merge-request.js';

type Signal = { signal?: AbortSignal };
const TEMPLATE = '.gitlab/merge_request_templates/Default.md';

export class GitlabVcs implements VcsProvider, RepositoryCreator, AuthChecker {
  readonly id = 'gitlab';
  readonly #ctx: ProviderContext<GitlabVcsConfig>;
  readonly #api: GitlabClient;
  readonly #token: string;
  readonly #host: string;
  readonly #policy: RateLimitPolicy;
  #project: Promise<string> | undefined;

  constructor(
    ctx: ProviderContext<GitlabVcsConfig>,
    options: { token: string; rateLimit?: RateLimitPolicy },
  ) {
    this.#ctx = ctx;
    this.#token = options.token;
    this.#host = (ctx.settings.base_url ?? GITLAB_HOST).replace(/\/+$/, '');
    this.#policy = options.rateLimit ?? defaultRateLimitPolicy;
    this.#api = createGitlabClient({ host: this.#host, token: options.token });
  }

  async pushBranch(input: { cwd: string; branch: string; force?: boolean }, opts: Signal = {}) {
    const remote = this.#ctx.gitRemote;
    const url = await remoteUrl(input.cwd, remote);
    const api = new URL(this.#host);
    // GitLab takes any user name with a token as the password; `oauth2` is the one its docs use.
    const credential =
      url && tokenMayGoTo(parseRemotePath(url), api)
        ? { username: 'oauth2', token: this.#token, host: api.host }
        : undefined;
    return pushBranch(
      { cwd: input.cwd, remote, branch: input.branch, force: input.force, credential },
      { env: this.#ctx.runtime.env, signal: opts.signal },
    );
  }

  async openPullRequest(input: OpenPullRequestInput, opts: Signal = {}): Promise<PullRequest> {
    const project = await this.#projectPath();
    const s = this.#ctx.settings;
    const draft = input.draft ?? s.draft ?? false;
    const reviewerIds = await this.#userIds(unique([...s.reviewers, ...(input.reviewers ?? [])]), opts);
    const assigneeIds = await this.#userIds(unique([...s.assignees, ...(input.assignees ?? [])]), opts);
    const labels = unique([...s.labels, ...(input.labels ?? [])]);
    try {
      const created = await this.#run(opts, () =>
        this.#api.MergeRequests.create(project, input.head, input.base, draftTitle(input.title, draft), {
          description: input.body,
          removeSourceBranch: s.remove_source_branch,
          ...(labels.length ? { labels: labels.join(',') } : {}),
          ...(reviewerIds.length ? { reviewerIds } : {}),
          ...(assigneeIds.length ? { assigneeIds } : {}),
        }),
      );
      return toPullRequest(created);
    } catch (error) {
      // An MR for this branch exists (a re-run, or a crash after GitLab created it): update that one instead.
      if (/already exists for this source branch/i.test(messageOf(error))) {
        const existing = await this.findPullRequest({ head: input.head }, opts);
        if (existing?.state === 'open') return this.updatePullRequest(existing, input, opts);
      }
      throw gitlabError(
        error,
        this.#at(`open a merge request for ${input.head} in ${project}`, {
          notFound: `the project ${project} (or the branch ${input.head})`,
          needs: 'the api scope and the Developer role on the project',
        }),
      );
    }
  }

  async updatePullRequest(
    pr: PullRequest,
    input: Partial<OpenPullRequestInput>,
    opts: Signal = {},
  ): Promise<PullRequest> {
    const project = await this.#projectPath();
    const iid = iidOf(pr);
    const draft = input.draft ?? pr.draft;
    try {
      const updated = await this.#run(opts, () =>
        this.#api.MergeRequests.edit(project, iid, {
          ...(input.title !== undefined ? { title: draftTitle(input.title, draft) } : {}),
          ...(input.body !== undefined ? { description: input.body } : {}),
          ...(input.base !== undefined ? { targetBranch: input.base } : {}),
        }),
      );
      return toPullRequest(updated);
    } catch (error) {
      throw gitlabError(
        error,
        this.#at(`update merge request !${iid} in ${project}`, { notFound: `merge request !${iid}` }),
      );
    }
  }

  async findPullRequest(input: { head: string }, opts: Signal = {}): Promise<PullRequest | null> {
    const project = await this.#projectPath();
    try {
      const found = await this.#run(opts, () =>
        this.#api.MergeRequests.all({
          projectId: project,
          sourceBranch: input.head,
          orderBy: 'created_at',
          sort: 'desc',
          perPage: 20,
          maxPages: 1,
        }),
      );
      const pick = found.find((m) => m.state === 'opened') ?? found[0];
      return pick ? toPullRequest(pick) : null;
    } catch (error) {
      throw gitlabError(
        error,
        this.#at(`look for a merge request from ${input.head} in ${project}`, {
          notFound: `the project ${project}`,
        }),
      );
    }
  }

  async closePullRequest(pr: PullRequest, opts: Signal = {}): Promise<void> {
    const project = await this.#projectPath();
    const iid = iidOf(pr);
    try {
      await this.#run(opts, () => this.#api.MergeRequests.edit(project, iid, { stateEvent: 'close' }));
    } catch (error) {
      throw gitlabError(
        error,
        this.#at(`close merge request !${iid} in ${project}`, { notFound: `merge request !${iid}` }),
      );
    }
  }

  async commentOnPullRequest(pr: PullRequest, body: string, opts: Signal = {}): Promise<void> {
    const project = await this.#projectPath();
    const iid = iidOf(pr);
    try {
      await this.#run(opts, () => this.#api.MergeRequestNotes.create(project, iid, body));
    } catch (error) {
      throw gitlabError(
        error,
        this.#at(`comment on merge request !${iid} in ${project}`, { notFound: `merge request !${iid}` }),
      );
    }
  }

  /** GitLab's own default MR template first, then the places other hosts use. */
  async pullRequestTemplate(cwd: string): Promise<string | null> {
    try {
      return await readFile(join(cwd, TEMPLATE), 'utf8');
    } catch {
      return readPullRequestTemplate(cwd);
    }
  }

  async repoInfo(opts: Signal = {}): Promise<RepoInfo> {
    const project = await this.#projectPath();
    try {
      const data: ProjectSchema = await this.#run(opts, () => this.#api.Projects.show(project));
      return {
        name: data.path_with_namespace,
        remoteUrl: await remoteUrl(this.#ctx.repoRoot, this.#ctx.gitRemote),
        defaultBranch: data.default_branch || 'main',
        webUrl: data.web_url,
      };
    } catch (error) {
      throw gitlabError(
        error,
        this.#at(`read the project ${project}`, { notFound: `the project ${project}` }),
      );
    }
  }

  /** A project in the user's own namespace, or in a group (or subgroup) named by its full path. */
  async createRepository(input: NewRepository, opts: Signal = {}): Promise<CreatedRepository> {
    const where = input.owner ? `${input.owner}/${input.name}` : input.name;
    try {
      const namespaceId = input.owner
        ? (await this.#run(opts, () => this.#api.Namespaces.show(input.owner!))).id
        : undefined;
      const data = await this.#run(opts, () =>
        this.#api.Projects.create({
          name: input.name,
          path: input.name,
          ...(namespaceId !== undefined ? { namespaceId } : {}),
          ...(input.description ? { description: input.description } : {}),
          visibility: (input.private ?? true) ? 'private' : 'public',
        }),
      );
      return {
        name: data.path_with_namespace,
        webUrl: data.web_url,
        cloneUrl: data.http_url_to_repo,
        sshUrl: data.ssh_url_to_repo || null,
        defaultBranch: data.default_branch || 'main',
      };
    } catch (error) {
      throw gitlabError(
        error,
        this.#at(`create the project ${where}`, {
          notFound: input.owner ? `the group or user ${input.owner}` : 'the account',
          needs: 'the api scope, and the Developer role (or higher) on the group that may create projects',
        }),
      );
    }
  }

  async checkAuth(opts: Signal = {}): Promise<AuthStatus> {
    try {
      const me = await this.#run(opts, () => this.#api.Users.showCurrentUser());
      return { ok: true, identity: me.username, detail: `${me.username} at ${this.#host}` };
    } catch (error) {
      const e = gitlabError(error, this.#at('authenticate'));
      return { ok: false, identity: null, detail: e.message, hint: e.hint };
    }
  }

  /** Usernames as user ids (GitLab's MR API takes ids); an unknown name is a warning, the MR still opens. */
  async #userIds(names: string[], opts: Signal): Promise<number[]> {
    const ids: number[] = [];
    for (const name of names) {
      if (/^\d+$/.test(name)) {
        ids.push(Number(name));
        continue;
      }
      const username = name.replace(/^@/, '');
      try {
        const [user] = await this.#run(opts, () => this.#api.Users.all({ username, maxPages: 1 }));
        if (user) ids.push(user.id);
        else
          this.#ctx.logger.warn(
            `${this.#ctx.path}: no GitLab user "${username}"; left off the merge request`,
          );
      } catch (error) {
        const e = gitlabError(error, this.#at(`look up the user ${username}`));
        this.#ctx.logger.warn(`${e.message} (${e.hint ?? ''})`);
      }
    }
    return ids;
  }

  #run<T>(opts: Signal, fn: () => Promise<T>): Promise<T> {
    return withSignal(opts.signal, () => withRateLimit(fn, gitlabRetryAfter, this.#policy, opts.signal));
  }

  #projectPath(): Promise<string> {
    this.#project ??= resolveProject(this.#ctx, this.#host);
    return this.#project;
  }

  #at(action: string, extra: Partial<GitlabErrorContext> = {}): GitlabErrorContext {
    return { action, path: this.#ctx.path, host: this.#host, ...extra };
  }
}

function messageOf(error: unknown): string {
  const body = (error as { body?: { message?: unknown } }).body;
  return JSON.stringify(body?.message ?? '');
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}
