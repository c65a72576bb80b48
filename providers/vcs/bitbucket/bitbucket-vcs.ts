// The Bitbucket Cloud code host: pushes through git to the configured remote (the credentials ride an env-only
// credential helper for https remotes on Bitbucket's host), and opens, finds, updates, comments on and declines pull
// requests through REST 2.0. Default reviewers are added by aidev, because the API does not add them to PRs it opens.
import type {
  AuthChecker,
  AuthStatus,
  CreatedRepository,
  NewRepository,
  RepositoryCreator,
} from '../../capabilities.js';
import { AidevError } from '../../../src/core/errors.js';
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
import type { BitbucketVcsConfig } from './config.js';
import { bitbucketError, type BitbucketErrorContext } from './errors.js';
import { BITBUCKET_API, BitbucketHttp, bitbucketRetryAfter, type BitbucketAuth } from './http.js';
import {
  accountName,
  createdRepository,
  idOf,
  newRepositoryBody,
  resolveRepo,
  toPullRequest,
  type RepoRef,
} from './mapping.js';
import type * as Schema from './wire.js';

type Signal = { signal?: AbortSignal };

export class BitbucketVcs implements VcsProvider, RepositoryCreator, AuthChecker {
  readonly id = 'bitbucket';
  readonly #ctx: ProviderContext<BitbucketVcsConfig>;
  readonly #http: BitbucketHttp;
  readonly #auth: BitbucketAuth;
  readonly #policy: RateLimitPolicy;
  #repo: Promise<RepoRef> | undefined;
  #me: Promise<Schema.Account> | undefined;

  constructor(
    ctx: ProviderContext<BitbucketVcsConfig>,
    auth: BitbucketAuth,
    options: { rateLimit?: RateLimitPolicy } = {},
  ) {
    this.#ctx = ctx;
    this.#auth = auth;
    this.#policy = options.rateLimit ?? defaultRateLimitPolicy;
    this.#http = new BitbucketHttp(ctx.settings.base_url ?? BITBUCKET_API, auth);
  }

  async pushBranch(input: { cwd: string; branch: string; force?: boolean }, opts: Signal = {}) {
    const remote = this.#ctx.gitRemote;
    const url = await remoteUrl(input.cwd, remote);
    const api = new URL(this.#http.baseUrl);
    // Git lives on bitbucket.org, the API on api.bitbucket.org.
    const web = { protocol: api.protocol, host: api.host.replace(/^api\./i, '') };
    const credential =
      url && tokenMayGoTo(parseRemotePath(url), web)
        ? 'token' in this.#auth
          ? { username: 'x-token-auth', token: this.#auth.token, host: web.host }
          : { username: this.#auth.username, token: this.#auth.appPassword, host: web.host }
        : undefined;
    return pushBranch(
      { cwd: input.cwd, remote, branch: input.branch, force: input.force, credential },
      { env: this.#ctx.runtime.env, signal: opts.signal },
    );
  }

  async openPullRequest(input: OpenPullRequestInput, opts: Signal = {}): Promise<PullRequest> {
    // Looked up first: a re-run (or a crash after Bitbucket created it) updates the open PR instead of failing.
    const existing = await this.findPullRequest({ head: input.head }, opts);
    if (existing?.state === 'open') return this.updatePullRequest(existing, input, opts);
    const { workspace, repo } = await this.#repoRef();
    const s = this.#ctx.settings;
    const reviewers = await this.#reviewers([...s.reviewers, ...(input.reviewers ?? [])], opts);
    const body: Schema.Pullrequest = {
      type: 'pullrequest',
      title: input.title,
      description: input.body,
      source: { branch: { name: input.head } },
      destination: { branch: { name: input.base } },
      close_source_branch: s.close_source_branch,
      ...(reviewers.length ? { reviewers } : {}),
      // Draft PRs are newer than the swagger the `bitbucket` package carries; the API takes the field.
      ...((input.draft ?? s.draft) ? { draft: true } : {}),
    };
    if (input.labels?.length)
      this.#ctx.logger.warn(`${this.#ctx.path}: Bitbucket pull requests have no labels; ignored`);
    const created = await this.#send<Schema.Pullrequest>(
      opts,
      'POST',
      `${this.#repoPath({ workspace, repo })}/pullrequests`,
      body,
      {
        action: `open a pull request for ${input.head} in ${workspace}/${repo}`,
        notFound: `the repository ${workspace}/${repo}`,
        needs: 'pullrequest:write',
      },
    );
    return toPullRequest(created);
  }

  async updatePullRequest(
    pr: PullRequest,
    input: Partial<OpenPullRequestInput>,
    opts: Signal = {},
  ): Promise<PullRequest> {
    const ref = await this.#repoRef();
    const id = idOf(pr);
    const body: Schema.Pullrequest = {
      type: 'pullrequest',
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { description: input.body } : {}),
      ...(input.base !== undefined ? { destination: { branch: { name: input.base } } } : {}),
    };
    const updated = await this.#send<Schema.Pullrequest>(
      opts,
      'PUT',
      `${this.#repoPath(ref)}/pullrequests/${id}`,
      body,
      {
        action: `update pull request #${id}`,
        notFound: `pull request #${id}`,
        needs: 'pullrequest:write',
      },
    );
    return toPullRequest(updated);
  }

  /** The open PR from `head`, else the newest merged or declined one. */
  async findPullRequest(input: { head: string }, opts: Signal = {}): Promise<PullRequest | null> {
    const ref = await this.#repoRef();
    const q = `source.branch.name="${input.head.replace(/["\\]/g, '\\$&')}"`;
    try {
      for (const state of ['OPEN', 'MERGED', 'DECLINED']) {
        const found = await this.#http.all<Schema.Pullrequest>(
          `${this.#repoPath(ref)}/pullrequests`,
          { query: { q, state, sort: '-created_on', pagelen: 50 }, signal: opts.signal },
          (fn) => this.#run(opts, fn),
        );
        const match = found.find((p) => p.source?.branch?.name === input.head);
        if (match) return toPullRequest(match);
      }
      return null;
    } catch (error) {
      throw bitbucketError(
        error,
        this.#at(`look for a pull request from ${input.head} in ${ref.workspace}/${ref.repo}`, {
          notFound: `the repository ${ref.workspace}/${ref.repo}`,
          needs: 'pullrequest',
        }),
      );
    }
  }

  async closePullRequest(pr: PullRequest, opts: Signal = {}): Promise<void> {
    const ref = await this.#repoRef();
    const id = idOf(pr);
    await this.#send(opts, 'POST', `${this.#repoPath(ref)}/pullrequests/${id}/decline`, undefined, {
      action: `decline pull request #${id}`,
      notFound: `pull request #${id}`,
      needs: 'pullrequest:write',
    });
  }

  async commentOnPullRequest(pr: PullRequest, body: string, opts: Signal = {}): Promise<void> {
    const ref = await this.#repoRef();
    const id = idOf(pr);
    const comment: Schema.PullrequestComment = { type: 'pullrequest_comment', content: { raw: body } };
    await this.#send(opts, 'POST', `${this.#repoPath(ref)}/pullrequests/${id}/comments`, comment, {
      action: `comment on pull request #${id}`,
      notFound: `pull request #${id}`,
      needs: 'pullrequest:write',
    });
  }

  /**
   * Bitbucket Cloud keeps no PR template in the repository and REST 2.0 does not expose the repository's default
   * description setting, so the repository's own template file (PULL_REQUEST_TEMPLATE.md and the usual places) is it.
   */
  async pullRequestTemplate(cwd: string): Promise<string | null> {
    return readPullRequestTemplate(cwd);
  }

  async repoInfo(opts: Signal = {}): Promise<RepoInfo> {
    const ref = await this.#repoRef();
    try {
      const data = await this.#run(opts, () =>
        this.#http.request<Schema.Repository>('GET', this.#repoPath(ref), { signal: opts.signal }),
      );
      return {
        name: data.full_name ?? `${ref.workspace}/${ref.repo}`,
        remoteUrl: await remoteUrl(this.#ctx.repoRoot, this.#ctx.gitRemote),
        defaultBranch: data.mainbranch?.name ?? 'main',
        webUrl: data.links?.html?.href ?? null,
      };
    } catch (error) {
      throw bitbucketError(
        error,
        this.#at(`read the repository ${ref.workspace}/${ref.repo}`, {
          notFound: `the repository ${ref.workspace}/${ref.repo}`,
          needs: 'repository',
        }),
      );
    }
  }

  /** A repository in `owner` (a workspace), else in the configured workspace, else in the user's own. */
  async createRepository(input: NewRepository, opts: Signal = {}): Promise<CreatedRepository> {
    const slug = input.name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
    let workspace = input.owner ?? this.#ctx.settings.workspace;
    try {
      workspace ??= accountName(await this.#currentUser(opts));
      if (!workspace)
        throw new AidevError('CONFIG_INVALID', `${this.#ctx.path}: no workspace to create ${slug} in`, {
          hint: `set ${this.#ctx.path}.workspace`,
        });
      const path = this.#repoPath({ workspace, repo: slug });
      const body = newRepositoryBody(input);
      const data = await this.#run(opts, () =>
        this.#http.request<Schema.Repository>('POST', path, { body, signal: opts.signal }),
      );
      return createdRepository(data, `${workspace}/${slug}`);
    } catch (error) {
      throw bitbucketError(
        error,
        this.#at(`create the repository ${workspace ?? '?'}/${slug}`, {
          notFound: `the workspace ${workspace ?? '?'}`,
          needs: 'repository:admin',
        }),
      );
    }
  }

  async checkAuth(opts: Signal = {}): Promise<AuthStatus> {
    try {
      const me = await this.#currentUser(opts);
      const who = accountName(me) ?? me.display_name ?? 'unknown';
      return { ok: true, identity: who, detail: `${who} at ${this.#http.baseUrl}` };
    } catch (error) {
      const e = bitbucketError(error, this.#at('authenticate'));
      return { ok: false, identity: null, detail: e.message, hint: e.hint };
    }
  }

  /** Configured reviewers and the repository's effective default reviewers, less the PR's author (Bitbucket refuses). */
  async #reviewers(configured: string[], opts: Signal): Promise<Schema.Account[]> {
    const ref = await this.#repoRef();
    const ids = new Set(configured.filter(Boolean));
    if (this.#ctx.settings.default_reviewers) {
      try {
        const defaults = await this.#http.all<Schema.DefaultReviewerAndType>(
          `${this.#repoPath(ref)}/effective-default-reviewers`,
          { signal: opts.signal },
          (fn) => this.#run(opts, fn),
        );
        for (const d of defaults) if (d.user?.uuid) ids.add(d.user.uuid);
      } catch (error) {
        const e = bitbucketError(
          error,
          this.#at('read the default reviewers', { needs: 'repository:admin (or pullrequest)' }),
        );
        this.#ctx.logger.warn(`${e.message} (${e.hint ?? ''})`);
      }
    }
    if (!ids.size) return [];
    const me = await this.#currentUser(opts);
    return [...ids]
      .filter((id) => id !== me.uuid && id !== me.account_id)
      .map((id) => (id.startsWith('{') ? { type: 'user', uuid: id } : { type: 'user', account_id: id }));
  }

  #currentUser(opts: Signal): Promise<Schema.Account> {
    this.#me ??= this.#run(opts, () =>
      this.#http.request<Schema.Account>('GET', '/user', { signal: opts.signal }),
    );
    this.#me.catch(() => (this.#me = undefined));
    return this.#me;
  }

  /** One request with the bounded rate-limit retry, its failure mapped to an AidevError naming `at`. */
  async #send<T>(
    opts: Signal,
    method: string,
    path: string,
    body: unknown,
    at: Omit<BitbucketErrorContext, 'path' | 'baseUrl'>,
  ): Promise<T> {
    try {
      return await this.#run(opts, () => this.#http.request<T>(method, path, { body, signal: opts.signal }));
    } catch (error) {
      throw bitbucketError(error, this.#at(at.action, at));
    }
  }

  #run<T>(opts: Signal, fn: () => Promise<T>): Promise<T> {
    return withRateLimit(fn, bitbucketRetryAfter, this.#policy, opts.signal);
  }

  #repoPath(ref: RepoRef): string {
    return `/repositories/${encodeURIComponent(ref.workspace)}/${encodeURIComponent(ref.repo)}`;
  }

  #repoRef(): Promise<RepoRef> {
    this.#repo ??= resolveRepo(this.#ctx);
    return this.#repo;
  }

  #at(action: string, extra: Partial<BitbucketErrorContext> = {}): BitbucketErrorContext {
    return { action, path: this.#ctx.path, baseUrl: this.#http.baseUrl, ...extra };
  }
}
