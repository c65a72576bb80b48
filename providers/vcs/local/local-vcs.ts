// The local code host: pushes to the configured git remote (any URL git accepts, a bare repo path included) and
// "opens" a pull request by writing it to .aidev/pull-requests/<branch>.md in the main checkout.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { AidevError } from '../../../src/core/errors.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { git, gitOk, readPullRequestTemplate, remoteUrl, repoNameFromUrl } from '../../shared/git-cli.js';
import type {
  OpenPullRequestInput,
  ProviderContext,
  PullRequest,
  RepoInfo,
  VcsProvider,
} from '../../types.js';
import type { LocalVcsConfig } from './config.js';

export class LocalVcs implements VcsProvider {
  readonly id = 'local';
  readonly #ctx: ProviderContext<LocalVcsConfig>;
  readonly #dir: string;

  constructor(ctx: ProviderContext<LocalVcsConfig>) {
    this.#ctx = ctx;
    this.#dir = resolve(ctx.repoRoot, ctx.settings.pull_requests_dir);
  }

  async pushBranch(
    input: { cwd: string; branch: string; force?: boolean },
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ remote: string; ref: string }> {
    // The one git module: it resolves relative remote paths from a worktree and explains rejected pushes.
    const { pushBranch } = await import('../../../src/core/git/push.js');
    return pushBranch(
      { cwd: input.cwd, remote: this.#ctx.gitRemote, branch: input.branch, force: input.force },
      { env: this.#ctx.runtime.env, signal: opts.signal },
    );
  }

  async openPullRequest(input: OpenPullRequestInput): Promise<PullRequest> {
    const path = this.#file(input.head);
    const pr: PullRequest = {
      url: path,
      id: input.head,
      state: 'open',
      head: input.head,
      base: input.base,
      title: input.title,
      draft: input.draft ?? false,
    };
    const meta = {
      title: input.title,
      state: 'open',
      head: input.head,
      base: input.base,
      draft: pr.draft,
      labels: input.labels ?? [],
      reviewers: input.reviewers ?? [],
      created: this.#ctx.runtime.clock.now().toISOString(),
    };
    writeFileAtomic(path, `---\n${stringify(meta)}---\n\n${input.body.trim()}\n`);
    return pr;
  }

  async updatePullRequest(pr: PullRequest, input: Partial<OpenPullRequestInput>): Promise<PullRequest> {
    const current = this.#readFile(pr.head);
    if (!current)
      return this.openPullRequest({
        title: input.title ?? pr.title,
        body: input.body ?? '',
        head: pr.head,
        base: input.base ?? pr.base,
        draft: input.draft,
      });
    const meta = {
      ...current.meta,
      ...(input.title ? { title: input.title } : {}),
      updated: this.#ctx.runtime.clock.now().toISOString(),
    };
    writeFileAtomic(
      this.#file(pr.head),
      `---\n${stringify(meta)}---\n\n${(input.body ?? current.body).trim()}\n`,
    );
    return { ...pr, title: String(meta.title) };
  }

  async findPullRequest(input: { head: string }): Promise<PullRequest | null> {
    const found = this.#readFile(input.head);
    if (!found) return null;
    const { meta } = found;
    return {
      url: this.#file(input.head),
      id: input.head,
      state: meta.state === 'closed' || meta.state === 'merged' ? meta.state : 'open',
      head: input.head,
      base: typeof meta.base === 'string' ? meta.base : '',
      title: typeof meta.title === 'string' ? meta.title : '',
      draft: meta.draft === true,
    };
  }

  async closePullRequest(pr: PullRequest): Promise<void> {
    const current = this.#readFile(pr.head);
    if (current)
      writeFileAtomic(
        this.#file(pr.head),
        `---\n${stringify({ ...current.meta, state: 'closed' })}---\n\n${current.body.trim()}\n`,
      );
    return;
  }

  async commentOnPullRequest(pr: PullRequest, body: string): Promise<void> {
    const current = this.#readFile(pr.head);
    if (!current)
      throw new AidevError('PROVIDER_ERROR', `no pull request file for ${pr.head}`, {
        hint: `expected ${this.#file(pr.head)}`,
      });
    const at = this.#ctx.runtime.clock.now().toISOString();
    const comments = current.body.includes('\n## Comments') ? '' : '\n\n## Comments';
    writeFileAtomic(
      this.#file(pr.head),
      `---\n${stringify(current.meta)}---\n\n${current.body.trim()}${comments}\n\n### ${at}\n\n${body.trim()}\n`,
    );
    return;
  }

  async pullRequestTemplate(cwd: string): Promise<string | null> {
    return readPullRequestTemplate(cwd);
  }

  async repoInfo(): Promise<RepoInfo> {
    const url = await remoteUrl(this.#ctx.repoRoot, this.#ctx.gitRemote);
    let defaultBranch = 'main';
    const head = await git(this.#ctx.repoRoot, [
      'symbolic-ref',
      '--short',
      `refs/remotes/${this.#ctx.gitRemote}/HEAD`,
    ]);
    if (head.code === 0) defaultBranch = head.stdout.trim().replace(`${this.#ctx.gitRemote}/`, '');
    else
      defaultBranch =
        (await gitOk(this.#ctx.repoRoot, ['rev-parse', '--abbrev-ref', 'HEAD']).catch(() => 'main')) ||
        'main';
    return {
      name: url ? repoNameFromUrl(url) : basename(this.#ctx.repoRoot),
      remoteUrl: url,
      defaultBranch,
      webUrl: null,
    };
  }

  #file(branch: string): string {
    return join(this.#dir, `${branch.replace(/[^A-Za-z0-9._-]+/g, '-')}.md`);
  }

  #readFile(branch: string): { meta: Record<string, unknown>; body: string } | null {
    const path = this.#file(branch);
    if (!existsSync(path)) return null;
    const text = readFileSync(path, 'utf8');
    const end = text.indexOf('\n---', 3);
    if (!text.startsWith('---\n') || end < 0) return { meta: {}, body: text };
    return {
      meta: (parse(text.slice(4, end + 1)) ?? {}) as Record<string, unknown>,
      body: text.slice(end + 4).trim(),
    };
  }
}
