// Code host actions: vcs.open_pull_request (finds an open PR for the branch first and updates it instead of opening a
// second; merges the repository's PR template) and vcs.comment. Rollback closes a PR only if this run opened it.
import { z } from 'zod';
import type { PullRequest, VcsProvider } from '../../../../providers/types.js';
import { AidevError } from '../../errors.js';
import type { ProviderAction, StepContext } from '../types.js';
import { signalOf } from './shared.js';

/** Where a template wants the generated body; without the marker the body goes first and the template follows. */
export const PR_BODY_MARKER = '<!-- aidev:body -->';

export function mergePullRequestTemplate(body: string, template: string | null | undefined): string {
  const t = template?.trim();
  if (!t) return body;
  if (t.includes(PR_BODY_MARKER)) return t.replace(PR_BODY_MARKER, body);
  if (body.includes(t)) return body;
  return `${body.trimEnd()}\n\n---\n\n${t}\n`;
}

/** The agent step's Checks section (setup time, checks before and after, pre-existing failures), stated by aidev
 * itself rather than left to the model that writes the description. */
export function withVerification(body: string, verification: unknown): string {
  if (typeof verification !== 'string' || !verification.trim() || body.includes(verification.trim()))
    return body;
  return `${body.trimEnd()}\n\n${verification.trim()}\n`;
}

function headOf(input: { head?: string | undefined }, ctx: StepContext): string {
  const head = input.head ?? (typeof ctx.state.branch === 'string' ? ctx.state.branch : undefined);
  if (!head) {
    throw new AidevError('STEP_FAILED', `step ${ctx.stepId}: no branch for the pull request`, {
      hint: 'run git.create_branch earlier in the workflow, or pass `with: {head: <branch>}`',
    });
  }
  return head;
}

function prOutputs(pr: PullRequest, created: boolean): Record<string, unknown> {
  return { url: pr.url, number: pr.number ?? null, id: pr.id, head: pr.head, base: pr.base, created };
}

async function existingPullRequest(
  vcs: VcsProvider,
  head: string,
  ctx: StepContext,
): Promise<PullRequest | null> {
  const found = await vcs.findPullRequest({ head }, signalOf(ctx));
  return found && found.state === 'open' ? found : null;
}

export const vcsActions: ProviderAction[] = [
  {
    name: 'vcs.open_pull_request',
    description: 'Opens a pull request for the run’s branch, or updates the open one',
    input: z.strictObject({
      title: z.string().min(1, 'the pull request needs a title'),
      body: z.string().default(''),
      head: z.string().optional(),
      base: z.string().optional(),
      draft: z.boolean().optional(),
      labels: z.array(z.string()).optional(),
      reviewers: z.array(z.string()).optional(),
      assignees: z.array(z.string()).optional(),
    }),
    outputs: ['url', 'number', 'id', 'head', 'base', 'created'],
    async run(input, ctx) {
      const i = input as {
        title: string;
        body: string;
        head?: string;
        base?: string;
        draft?: boolean;
        labels?: string[];
        reviewers?: string[];
        assignees?: string[];
      };
      const vcs = await ctx.providers.get('vcs');
      const head = headOf(i, ctx);
      const open = async (): Promise<{ externalId: string; result: Record<string, unknown> }> => {
        const template = vcs.pullRequestTemplate ? await vcs.pullRequestTemplate(ctx.cwd()) : null;
        const body = withVerification(mergePullRequestTemplate(i.body, template), ctx.state.verification);
        const existing = await existingPullRequest(vcs, head, ctx);
        if (existing) {
          const updated = vcs.updatePullRequest
            ? await vcs.updatePullRequest(existing, { title: i.title, body }, signalOf(ctx))
            : existing;
          return { externalId: updated.url, result: prOutputs(updated, false) };
        }
        const base =
          i.base ??
          (typeof ctx.state.base === 'string'
            ? ctx.state.base
            : (await vcs.repoInfo(signalOf(ctx))).defaultBranch);
        const draft = i.draft ?? (ctx.config.vcs as { draft?: boolean }).draft;
        const pr = await vcs.openPullRequest(
          {
            title: i.title,
            body,
            head,
            base,
            draft,
            labels: i.labels,
            reviewers: i.reviewers,
            assignees: i.assignees,
          },
          signalOf(ctx),
        );
        return { externalId: pr.url, result: prOutputs(pr, true) };
      };
      // A crash between opening the PR and recording it: the PR for this branch is the one we opened.
      const recover = async () => {
        const existing = await existingPullRequest(vcs, head, ctx);
        return existing ? { externalId: existing.url, result: prOutputs(existing, true) } : null;
      };
      const result = await ctx.effect('pull_request', 'vcs.open_pull_request', open, recover);
      ctx.state.pr = {
        url: result.url,
        number: result.number,
        id: result.id,
        head: result.head,
        base: result.base,
      };
      return result;
    },
    async compensate(_input, output, ctx) {
      if (output.created !== true) return;
      const vcs = await ctx.providers.get('vcs');
      if (!vcs.closePullRequest) {
        ctx.progress(
          `the ${vcs.id} provider cannot close pull requests; close ${String(output.url)} by hand`,
        );
        return;
      }
      const pr = await existingPullRequest(vcs, String(output.head), ctx);
      if (!pr) return;
      await ctx.effect('close', 'vcs.close_pull_request', async () => {
        await vcs.closePullRequest!(pr, signalOf(ctx));
        return { externalId: pr.url, result: null };
      });
    },
  },
  {
    name: 'vcs.comment',
    description: 'Comments on the run’s pull request',
    input: z.strictObject({
      body: z.string().min(1, 'the comment body is empty'),
      head: z.string().optional(),
    }),
    outputs: ['url'],
    async run(input, ctx) {
      const i = input as { body: string; head?: string };
      const vcs = await ctx.providers.get('vcs');
      if (!vcs.commentOnPullRequest) {
        throw new AidevError('PROVIDER_ERROR', `the ${vcs.id} code host cannot comment on pull requests`, {
          hint: 'remove the vcs.comment step, or use a provider that supports comments (github, gitlab)',
        });
      }
      const head = headOf(i, ctx);
      return ctx.effect('comment', 'vcs.comment', async () => {
        const pr = await existingPullRequest(vcs, head, ctx);
        if (!pr) {
          throw new AidevError('STEP_FAILED', `no open pull request for ${head}`, {
            hint: 'open it first with vcs.open_pull_request',
          });
        }
        await vcs.commentOnPullRequest!(pr, i.body, signalOf(ctx));
        return { externalId: pr.url, result: { url: pr.url } };
      });
    },
  },
];
