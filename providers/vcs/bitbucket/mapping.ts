// Helpers of vcs.bitbucket that need no HTTP: which workspace and repository a checkout is (config, else the git
// remote), and Bitbucket's pull requests, accounts and repositories as aidev sees them.
import { AidevError } from '../../../src/core/errors.js';
import { remoteUrl } from '../../shared/git-cli.js';
import { parseRemotePath, redactRemote } from '../../shared/remote-path.js';
import type { CreatedRepository, NewRepository } from '../../capabilities.js';
import type { ProviderContext, PullRequest } from '../../types.js';
import type { BitbucketVcsConfig } from './config.js';
import type * as Schema from './wire.js';

export interface RepoRef {
  workspace: string;
  repo: string;
}

export async function resolveRepo(ctx: ProviderContext<BitbucketVcsConfig>): Promise<RepoRef> {
  const { workspace, repo } = ctx.settings;
  if (workspace && repo) return { workspace, repo };
  const url = await remoteUrl(ctx.repoRoot, ctx.gitRemote);
  const parsed = url ? parseRemotePath(url) : null;
  if (!parsed) {
    throw new AidevError(
      'CONFIG_INVALID',
      url
        ? `${ctx.path}: cannot tell the Bitbucket workspace and repository from the git remote "${ctx.gitRemote}" (${redactRemote(url)})`
        : `${ctx.path}: no workspace/repo configured and there is no git remote "${ctx.gitRemote}" to read them from`,
      {
        hint: `set ${ctx.path}.workspace and ${ctx.path}.repo in .aidevrc.yaml (e.g. workspace: acme, repo: api)`,
      },
    );
  }
  const [w, r] = parsed.segments.slice(-2) as [string, string];
  return { workspace: workspace ?? w, repo: repo ?? r };
}

export function accountName(account: Schema.Account): string | undefined {
  return account.username ?? account.nickname;
}

export function toPullRequest(pr: Schema.Pullrequest): PullRequest {
  const id = pr.id ?? 0;
  return {
    url: pr.links?.html?.href ?? '',
    number: id,
    id: String(id),
    state: pr.state === 'MERGED' ? 'merged' : pr.state === 'OPEN' ? 'open' : 'closed',
    head: pr.source?.branch?.name ?? '',
    base: pr.destination?.branch?.name ?? '',
    title: pr.title ?? '',
    draft: pr.draft === true,
  };
}

export function idOf(pr: PullRequest): number {
  const n = pr.number ?? Number(pr.id);
  if (!Number.isInteger(n) || n <= 0)
    throw new AidevError('PROVIDER_ERROR', `not a Bitbucket pull request: ${pr.url}`, {
      hint: 'the run recorded a pull request from another code host; check vcs.provider',
    });
  return n;
}

/** A private git repository unless asked otherwise (the slug travels in the path). */
export function newRepositoryBody(input: NewRepository): Schema.Repository {
  return {
    type: 'repository',
    scm: 'git',
    is_private: input.private ?? true,
    ...(input.description ? { description: input.description } : {}),
  };
}

export function createdRepository(data: Schema.Repository, fallbackName: string): CreatedRepository {
  const clone = (name: string) => (data.links?.clone ?? []).find((c) => c.name === name)?.href;
  return {
    name: data.full_name ?? fallbackName,
    webUrl: data.links?.html?.href ?? '',
    cloneUrl: clone('https') ?? '',
    sshUrl: clone('ssh') ?? null,
    defaultBranch: data.mainbranch?.name ?? 'main',
  };
}
