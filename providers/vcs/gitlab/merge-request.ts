// Helpers of vcs.gitlab that need no client: which project a repository is (config, else the git remote with its
// nested groups), GitLab merge requests as aidev's PullRequest, and the `Draft:` title GitLab's API marks drafts by.
import type { ExpandedMergeRequestSchema, MergeRequestSchema } from '@gitbeaker/core';
import { AidevError } from '../../../src/core/errors.js';
import { remoteUrl } from '../../shared/git-cli.js';
import { parseRemotePath, redactRemote } from '../../shared/remote-path.js';
import type { ProviderContext, PullRequest } from '../../types.js';
import type { GitlabVcsConfig } from './config.js';

const DRAFT = /^\s*(\[draft\]|draft:|\(draft\))\s*/i;

/** `vcs.gitlab.project`, else the remote's path (nested groups kept), less the path GitLab itself is mounted at. */
export async function resolveProject(ctx: ProviderContext<GitlabVcsConfig>, host: string): Promise<string> {
  if (ctx.settings.project) return ctx.settings.project;
  const url = await remoteUrl(ctx.repoRoot, ctx.gitRemote);
  const parsed = url ? parseRemotePath(url) : null;
  if (!parsed) {
    throw new AidevError(
      'CONFIG_INVALID',
      url
        ? `${ctx.path}: cannot tell the GitLab project from the git remote "${ctx.gitRemote}" (${redactRemote(url)})`
        : `${ctx.path}: no project configured and there is no git remote "${ctx.gitRemote}" to read it from`,
      { hint: `set ${ctx.path}.project in .aidevrc.yaml (e.g. project: acme/backend/api)` },
    );
  }
  const mount = new URL(host).pathname.split('/').filter(Boolean);
  const segments = mount.every((m, i) => parsed.segments[i] === m)
    ? parsed.segments.slice(mount.length)
    : parsed.segments;
  return segments.join('/');
}

export function toPullRequest(mr: MergeRequestSchema | ExpandedMergeRequestSchema): PullRequest {
  return {
    url: mr.web_url,
    number: mr.iid,
    id: String(mr.iid),
    state: mr.state === 'merged' ? 'merged' : mr.state === 'opened' ? 'open' : 'closed',
    head: mr.source_branch,
    base: mr.target_branch,
    title: mr.title,
    draft: mr.draft ?? mr.work_in_progress ?? false,
  };
}

export function draftTitle(title: string, draft: boolean): string {
  const bare = title.replace(DRAFT, '');
  return draft ? `Draft: ${bare}` : bare;
}

export function iidOf(pr: PullRequest): number {
  const n = pr.number ?? Number(pr.id);
  if (!Number.isInteger(n) || n <= 0)
    throw new AidevError('PROVIDER_ERROR', `not a GitLab merge request: ${pr.url}`, {
      hint: 'the run recorded a pull request from another code host; check vcs.provider',
    });
  return n;
}
