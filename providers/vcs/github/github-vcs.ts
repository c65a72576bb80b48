// The GitHub code host: pushes through git to the configured remote (the token rides an env-only credential helper for
// https remotes on this GitHub's host; ssh remotes push as they are), and opens, finds, updates, comments on and closes
// pull requests through the REST API. Re-runs find the PR by head branch and update it instead of opening another.
import type {
  AuthChecker,
  AuthStatus,
  CreatedRepository,
  NewRepository,
  RepositoryCreator,
} from '../../capabilities.js';
import { pushBranch, type PushCredential } from '../../../src/core/git/push.js';
import { AidevError } from '../../../src/core/errors.js';
import { readPullRequestTemplate, remoteUrl } from '../../shared/git-cli.js';
import { checkGitHubAuth } from '../../shared/github/auth.js';
import { createGitHubClient, GITHUB_API, webOrigin, type GitHubClient } from '../../shared/github/client.js';
import { githubError, isGitHubRequestError, type GitHubErrorContext } from '../../shared/github/errors.js';
import { parseRemote, resolveRepoRef, type RepoRef } from '../../shared/github/repo-ref.js';
import type {
  OpenPullRequestInput,
  ProviderContext,
  PullRequest,
  RepoInfo,
  VcsProvider,
} from '../../types.js';
import type { GithubVcsConfig } from './config.js';

export interface GithubVcsOptions {
  token: string;
  /** Tests against a loopback fake turn Octokit's write pacing off. */
  pacing?: boolean | undefined;
}

interface PullLike {
  number: number;
  id: number;
  html_url: string;
  state: string;
  merged_at?: string | null;
  draft?: boolean;
  title: string;
  head: { ref: string };
  base: { ref: string };
}

type Signal = { signal?: AbortSignal };

export class GithubVcs implements VcsProvider, RepositoryCreator, AuthChecker {
  readonly id = 'github';
  readonly #ctx: ProviderContext<GithubVcsConfig>;
  readonly #octokit: GitHubClient;
  readonly #token: string;
  readonly #baseUrl: string;
  #repo: Promise<RepoRef> | undefined;

  constructor(ctx: ProviderContext<GithubVcsConfig>, options: GithubVcsOptions) {
    this.#ctx = ctx;
    this.#token = options.token;
    this.#baseUrl = ctx.settings.base_url ?? GITHUB_API;
    this.#octokit = createGitHubClient({
      token: options.token,
      baseUrl: this.#baseUrl,
      logger: ctx.logger,
      pacing: options.pacing,
    });
  }

  async pushBranch(
    input: { cwd: string; branch: string; force?: boolean },
    opts: Signal = {},
  ): Promise<{ remote: string; ref: string }> {
    const remote = this.#ctx.gitRemote;
    const url = await remoteUrl(input.cwd, remote);
    return pushBranch(
      {
        cwd: input.cwd,
        remote,
        branch: input.branch,
        force: input.force,
        credential: url ? this.#credentialFor(url) : undefined,
      },
      { env: this.#ctx.runtime.env, signal: opts.signal },
    );
  }

  /**
   * The token goes only to https remotes on this GitHub's own host (plain http only when base_url itself is http, as
   * for a loopback server). ssh remotes and other hosts push with the user's own git credentials.
   */
  #credentialFor(url: string): PushCredential | undefined {
    const remote = parseRemote(url);
    const web = webOrigin(this.#baseUrl);
    if (!remote || remote.host !== web.host) return undefined;
    const allowed = remote.protocol === 'https:' || (remote.protocol === 'http:' && web.protocol === 'http:');
    return allowed ? { username: 'x-access-token', token: this.#token, host: remote.host } : undefined;
  }

  async openPullRequest(input: OpenPullRequestInput, opts: Signal = {}): Promise<PullRequest> {
    const { owner, repo } = await this.#repoRef();
    const settings = this.#ctx.settings;
    let created: PullLike;
    try {
      created = (
        await this.#octokit.rest.pulls.create({
          owner,
          repo,
          title: input.title,
          body: input.body,
          head: input.head,
          base: input.base,
          draft: input.draft ?? settings.draft ?? false,
          request: { signal: opts.signal },
        })
      ).data;
    } catch (error) {
      // A PR for this head already exists (a re-run, or a crash after GitHub created it): update that one instead.
      if (
        isGitHubRequestError(error) &&
        error.status === 422 &&
        /already exists/i.test(JSON.stringify(error.response?.data ?? ''))
      ) {
        const existing = await this.findPullRequest({ head: input.head }, opts);
        if (existing?.state === 'open') return this.updatePullRequest(existing, input, opts);
      }
      throw githubError(
        error,
        this.#at(`open a pull request for ${input.head} in ${owner}/${repo}`, {
          needs: 'Pull requests: write',
        }),
      );
    }
    await this.#decorate(
      created.number,
      {
        labels: unique([...settings.labels, ...(input.labels ?? [])]),
        reviewers: unique([...settings.reviewers, ...(input.reviewers ?? [])]),
        assignees: unique([...settings.assignees, ...(input.assignees ?? [])]),
      },
      opts,
    );
    return toPullRequest(created);
  }

  /** Labels, reviewers and assignees after the PR exists: a refusal is a warning, the PR stays open. */
  async #decorate(
    number: number,
    extra: { labels: string[]; reviewers: string[]; assignees: string[] },
    opts: Signal,
  ): Promise<void> {
    const { owner, repo } = await this.#repoRef();
    const request = { signal: opts.signal };
    const attempt = async (what: string, call: () => Promise<unknown>) => {
      try {
        await call();
      } catch (error) {
        const e = githubError(error, this.#at(`${what} on pull request #${number}`));
        this.#ctx.logger.warn(`${e.message} (${e.hint ?? ''})`);
      }
    };
    if (extra.labels.length)
      await attempt('add labels', () =>
        this.#octokit.rest.issues.addLabels({
          owner,
          repo,
          issue_number: number,
          labels: extra.labels,
          request,
        }),
      );
    const teams = extra.reviewers.filter((r) => r.includes('/')).map((r) => r.slice(r.indexOf('/') + 1));
    const users = extra.reviewers.filter((r) => !r.includes('/'));
    if (users.length || teams.length)
      await attempt('request reviewers', () =>
        this.#octokit.rest.pulls.requestReviewers({
          owner,
          repo,
          pull_number: number,
          ...(users.length ? { reviewers: users } : {}),
          ...(teams.length ? { team_reviewers: teams } : {}),
          request,
        }),
      );
    if (extra.assignees.length)
      await attempt('assign', () =>
        this.#octokit.rest.issues.addAssignees({
          owner,
          repo,
          issue_number: number,
          assignees: extra.assignees,
          request,
        }),
      );
  }

  async updatePullRequest(
    pr: PullRequest,
    input: Partial<OpenPullRequestInput>,
    opts: Signal = {},
  ): Promise<PullRequest> {
    const { owner, repo } = await this.#repoRef();
    const number = numberOf(pr);
    try {
      const { data } = await this.#octokit.rest.pulls.update({
        owner,
        repo,
        pull_number: number,
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.base !== undefined ? { base: input.base } : {}),
        request: { signal: opts.signal },
      });
      return toPullRequest(data);
    } catch (error) {
      throw githubError(
        error,
        this.#at(`update pull request #${number} in ${owner}/${repo}`, {
          notFound: `pull request #${number}`,
        }),
      );
    }
  }

  async findPullRequest(input: { head: string }, opts: Signal = {}): Promise<PullRequest | null> {
    const { owner, repo } = await this.#repoRef();
    const head = input.head.includes(':') ? input.head : `${owner}:${input.head}`;
    try {
      const { data } = await this.#octokit.rest.pulls.list({
        owner,
        repo,
        head,
        state: 'all',
        sort: 'created',
        direction: 'desc',
        per_page: 20,
        request: { signal: opts.signal },
      });
      const pick = data.find((p) => p.state === 'open') ?? data[0];
      return pick ? toPullRequest(pick) : null;
    } catch (error) {
      throw githubError(
        error,
        this.#at(`look for a pull request from ${head} in ${owner}/${repo}`, {
          notFound: `the repository ${owner}/${repo}`,
        }),
      );
    }
  }

  async closePullRequest(pr: PullRequest, opts: Signal = {}): Promise<void> {
    const { owner, repo } = await this.#repoRef();
    try {
      await this.#octokit.rest.pulls.update({
        owner,
        repo,
        pull_number: numberOf(pr),
        state: 'closed',
        request: { signal: opts.signal },
      });
    } catch (error) {
      throw githubError(error, this.#at(`close pull request #${numberOf(pr)} in ${owner}/${repo}`));
    }
  }

  async commentOnPullRequest(pr: PullRequest, body: string, opts: Signal = {}): Promise<void> {
    const { owner, repo } = await this.#repoRef();
    try {
      await this.#octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: numberOf(pr),
        body,
        request: { signal: opts.signal },
      });
    } catch (error) {
      throw githubError(
        error,
        this.#at(`comment on pull request #${numberOf(pr)} in ${owner}/${repo}`, {
          notFound: `pull request #${numberOf(pr)}`,
        }),
      );
    }
  }

  async pullRequestTemplate(cwd: string): Promise<string | null> {
    return readPullRequestTemplate(cwd);
  }

  async repoInfo(opts: Signal = {}): Promise<RepoInfo> {
    const { owner, repo } = await this.#repoRef();
    try {
      const { data } = await this.#octokit.rest.repos.get({ owner, repo, request: { signal: opts.signal } });
      return {
        name: data.full_name,
        remoteUrl: await remoteUrl(this.#ctx.repoRoot, this.#ctx.gitRemote),
        defaultBranch: data.default_branch,
        webUrl: data.html_url,
      };
    } catch (error) {
      throw githubError(
        error,
        this.#at(`read the repository ${owner}/${repo}`, { notFound: `the repository ${owner}/${repo}` }),
      );
    }
  }

  async createRepository(input: NewRepository, opts: Signal = {}): Promise<CreatedRepository> {
    const request = { signal: opts.signal };
    const common = {
      name: input.name,
      description: input.description,
      private: input.private ?? true,
      request,
    };
    try {
      const me = input.owner
        ? (await this.#octokit.rest.users.getAuthenticated({ request })).data.login
        : undefined;
      const personal = !input.owner || input.owner.toLowerCase() === me?.toLowerCase();
      const { data } = personal
        ? await this.#octokit.rest.repos.createForAuthenticatedUser(common)
        : await this.#octokit.rest.repos.createInOrg({ org: input.owner!, ...common });
      return {
        name: data.full_name,
        webUrl: data.html_url,
        cloneUrl: data.clone_url,
        sshUrl: data.ssh_url ?? null,
        defaultBranch: data.default_branch,
      };
    } catch (error) {
      const where = input.owner ? `${input.owner}/${input.name}` : input.name;
      throw githubError(
        error,
        this.#at(`create the repository ${where}`, {
          notFound: input.owner ? `the organization ${input.owner}` : 'the account',
          needs: 'Administration: write on the account or organization',
        }),
      );
    }
  }

  async checkAuth(opts: Signal = {}): Promise<AuthStatus> {
    return checkGitHubAuth(this.#octokit, {
      baseUrl: this.#baseUrl,
      path: this.#ctx.path,
      signal: opts.signal,
    });
  }

  #repoRef(): Promise<RepoRef> {
    this.#repo ??= resolveRepoRef({
      owner: this.#ctx.settings.owner,
      repo: this.#ctx.settings.repo,
      repoRoot: this.#ctx.repoRoot,
      remote: this.#ctx.gitRemote,
      path: this.#ctx.path,
    });
    return this.#repo;
  }

  #at(action: string, extra: Partial<GitHubErrorContext> = {}): GitHubErrorContext {
    return { action, path: this.#ctx.path, baseUrl: this.#baseUrl, ...extra };
  }
}

function toPullRequest(data: PullLike): PullRequest {
  return {
    url: data.html_url,
    number: data.number,
    id: String(data.number),
    state: data.merged_at ? 'merged' : data.state === 'closed' ? 'closed' : 'open',
    head: data.head.ref,
    base: data.base.ref,
    title: data.title,
    draft: data.draft ?? false,
  };
}

function numberOf(pr: PullRequest): number {
  const n = pr.number ?? Number(pr.id);
  if (!Number.isInteger(n) || n <= 0)
    throw new AidevError('PROVIDER_ERROR', `not a GitHub pull request: ${pr.url}`, {
      hint: 'the run recorded a pull request from another code host; check vcs.provider',
    });
  return n;
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}
