// The provider actions the plan_project workflow uses (`uses: plan.generate` …). Each is a thin step over the plan
// modules: the workflow file says what happens in which order, these say how. Registered by `aidev plan`.
import { join } from 'node:path';
import { z } from 'zod';
import { shippedDir } from '../paths.js';
import type { ProviderAction, StepContext } from '../engine/types.js';
import { AidevError } from '../errors.js';
import { validatePlan, formatPlanIssues } from './checks.js';
import { repoContext } from './context.js';
import { writePlanPage } from './follow-through.js';
import { generatePlan } from './generate.js';
import { publishPlan } from './publish.js';
import type { ProjectRequest } from './request.js';
import { askReview } from './review.js';
import { scaffoldProject } from './scaffold.js';
import { countsOf, type Plan } from './schema.js';
import { planSettings } from './settings.js';
import { readPlan, writePlan, type PublishedItem, type PublishedState } from './store.js';

const request = {
  plan_id: z.string().min(1),
  idea: z.string().default(''),
  requirements: z.array(z.string()).default([]),
  stack: z.array(z.string()).default([]),
};

const signalOf = (ctx: StepContext) => ({ signal: ctx.signal });

/** A plan handed from step to step went through JSON; it is checked again rather than trusted. */
function planOf(value: unknown, ctx: StepContext): Plan {
  const checked = validatePlan(value, { minTasks: 1, maxTasks: Number.MAX_SAFE_INTEGER });
  if (!checked.ok)
    throw new AidevError(
      'STEP_FAILED',
      `step ${ctx.stepId}: the plan it received is invalid:\n${formatPlanIssues(checked.issues)}`,
      {
        hint: 'check the with: block of this step in the workflow file',
      },
    );
  return checked.plan;
}

async function draft(
  ctx: StepContext,
  planId: string,
  req: ProjectRequest,
  feedback?: { text: string; previous: Plan },
): Promise<{ plan: Plan; attempts: number }> {
  const settings = planSettings(ctx.config);
  const context = await repoContext(ctx.repoRoot, {
    env: ctx.runtime.env,
    readmeChars: settings.contextReadmeChars,
    maxFiles: settings.contextFiles,
    signal: ctx.signal,
  });
  if (!ctx.prompts) throw new AidevError('INTERNAL', 'no prompt templates are wired into this run');
  return generatePlan({
    request: req,
    context,
    feedback,
    settings,
    model: await ctx.model(),
    prompts: ctx.prompts,
    signal: ctx.signal,
    rawDir: join(ctx.repoRoot, '.aidev', 'plans'),
    planId,
    progress: (message) => ctx.progress(`plan ${planId}: ${message}`),
  });
}

const generate: ProviderAction = {
  name: 'plan.generate',
  description:
    'Drafts a project plan with the model (structured output, repaired until valid), or checks a given one',
  input: z.strictObject({ ...request, plan_id: z.string().default(''), plan: z.unknown().optional() }),
  outputs: ['plan_id', 'plan', 'source', 'attempts'],
  async run(input, ctx) {
    const i = { ...(input as unknown as { plan_id: string; plan?: unknown } & ProjectRequest) };
    // `aidev plan` makes the id up front (so even a failed draft has a row); a bare `workflow run` gets one here.
    if (!i.plan_id) i.plan_id = ctx.runtime.newId('p');
    if (!readPlan(ctx.ledger, i.plan_id))
      writePlan(ctx.ledger, ctx.runtime, i.plan_id, { idea: i.idea, status: 'drafting' });
    let plan: Plan;
    let attempts = 0;
    let source: 'file' | 'model';
    if (i.plan !== undefined && i.plan !== null) {
      plan = planOf(i.plan, ctx);
      source = 'file';
    } else {
      ({ plan, attempts } = await draft(ctx, i.plan_id, i));
      source = 'model';
    }
    writePlan(ctx.ledger, ctx.runtime, i.plan_id, { runId: ctx.runId, status: 'draft', plan });
    const c = countsOf(plan);
    ctx.progress(`plan ${i.plan_id}: ${c.epics} epics, ${c.tasks} tasks, ${c.dependencies} dependencies`);
    return { plan_id: i.plan_id, plan, source, attempts };
  },
};

const review: ProviderAction = {
  name: 'plan.review',
  description: 'A person approves, edits, regenerates with feedback, or rejects the plan',
  input: z.strictObject({ ...request, plan: z.unknown() }),
  outputs: ['plan', 'decision', 'by', 'edited', 'rounds'],
  async run(input, ctx) {
    const i = input as unknown as { plan_id: string; plan: unknown } & ProjectRequest;
    let plan = planOf(i.plan, ctx);
    let edited = false;
    const tracker = ctx.providers.idOf('tasks');
    for (let round = 1; ; round++) {
      const at = () => ctx.runtime.clock.now().toISOString();
      const message = `Publish plan ${i.plan_id} to the ${tracker} tracker?`;
      ctx.emit({ type: 'approval.requested', runId: ctx.runId, stepId: ctx.stepId, message, at: at() });
      const maxTasks = planSettings(ctx.config).maxTasks;
      const choice = await askReview(
        ctx.approver,
        { planId: i.plan_id, plan, round, tracker, maxTasks },
        ctx,
        ctx.signal,
      );
      if (choice.kind === 'pause') {
        writePlan(ctx.ledger, ctx.runtime, i.plan_id, { status: 'awaiting_approval', plan });
        ctx.audit('approval', 'pending', { plan: i.plan_id });
        throw new AidevError('APPROVAL_REQUIRED', `plan ${i.plan_id} is saved and waits for approval`, {
          hint: `review it, then publish it with: aidev plan --resume ${i.plan_id} --yes   (or look at it first: aidev plan --resume ${i.plan_id} --dry-run)`,
          details: { planId: i.plan_id, runId: ctx.runId },
        });
      }
      const decision =
        choice.kind === 'accept' ? 'approved' : choice.kind === 'reject' ? 'rejected' : 'feedback';
      ctx.emit({
        type: 'approval.resolved',
        runId: ctx.runId,
        stepId: ctx.stepId,
        decision,
        by: choice.by,
        at: at(),
      });
      if (choice.kind === 'reject') {
        writePlan(ctx.ledger, ctx.runtime, i.plan_id, { status: 'rejected' });
        ctx.audit('approval', 'rejected', { by: choice.by, reason: choice.reason ?? null });
        throw new AidevError(
          'REJECTED',
          `plan ${i.plan_id} was rejected by ${choice.by}${choice.reason ? `: ${choice.reason}` : ''}`,
          {
            hint: 'nothing was published; run aidev plan again with a sharper idea when ready',
          },
        );
      }
      if (choice.kind === 'accept') {
        edited ||= Boolean(choice.edited);
        plan = planOf(choice.plan, ctx);
        writePlan(ctx.ledger, ctx.runtime, i.plan_id, { status: 'approved', plan });
        ctx.audit('approval', choice.automatic ? 'approved (automatic)' : 'approved', {
          by: choice.by,
          edited,
        });
        return { plan, decision: 'approved', by: choice.by, edited, rounds: round };
      }
      ctx.audit('approval', 'feedback', { by: choice.by, feedback: choice.feedback });
      ({ plan } = await draft(ctx, i.plan_id, i, { text: choice.feedback, previous: choice.plan }));
      edited = false;
      writePlan(ctx.ledger, ctx.runtime, i.plan_id, { status: 'draft', plan });
    }
  },
};

const publish: ProviderAction = {
  name: 'plan.publish',
  description: 'Creates the epics, tasks, parent and "blocks" links in the tracker, once per plan key',
  input: z.strictObject({ plan_id: z.string().min(1), plan: z.unknown() }),
  outputs: ['plan', 'name', 'mapping', 'items', 'epics', 'tasks', 'created', 'reused', 'links', 'fields'],
  async run(input, ctx) {
    const i = input as { plan_id: string; plan: unknown };
    const plan = planOf(i.plan, ctx);
    const { config } = ctx;
    const block = (config.tasks as Record<string, unknown>)[config.tasks.provider] as
      { custom_fields?: Record<string, string> } | undefined;
    writePlan(ctx.ledger, ctx.runtime, i.plan_id, { status: 'publishing', plan });
    const delay = Number(ctx.runtime.env.AIDEV_TEST_PUBLISH_DELAY_MS ?? 0);
    const result = await publishPlan({
      plan,
      planId: i.plan_id,
      runId: ctx.runId,
      stepId: ctx.stepId,
      tasks: await ctx.providers.get('tasks'),
      ledger: ctx.ledger,
      runtime: ctx.runtime,
      customFields: block?.custom_fields,
      fieldValues: plan.project.repo ? { repo_name: plan.project.repo } : undefined,
      signal: ctx.signal,
      pauseMs: Number.isFinite(delay) && delay > 0 ? delay : 0,
      progress: (message) => ctx.progress(`plan ${i.plan_id}: ${message}`, 'tool'),
    });
    updatePublished(ctx, i.plan_id, { items: result.items, links: result.links }, 'published');
    const c = countsOf(plan);
    return { plan, name: plan.project.name, ...result, epics: c.epics, tasks: c.tasks };
  },
};

const scaffold: ProviderAction = {
  name: 'plan.scaffold',
  description: 'Renders the scaffold templates into a new git repository with a first commit and a remote',
  input: z.strictObject({
    plan_id: z.string().min(1),
    plan: z.unknown(),
    dir: z.string().min(1),
    stack: z.array(z.string()).default([]),
    items: z.array(z.unknown()).default([]),
  }),
  outputs: ['dir', 'commit', 'remote', 'web_url', 'files', 'note'],
  async run(input, ctx) {
    const i = input as {
      plan_id: string;
      plan: unknown;
      dir: string;
      stack: string[];
      items: PublishedItem[];
    };
    const plan = planOf(i.plan, ctx);
    const vcs = await ctx.providers.get('vcs');
    const result = await ctx.effect('scaffold', 'plan.scaffold', async () => {
      const done = await scaffoldProject({
        dir: i.dir,
        plan,
        planId: i.plan_id,
        stack: i.stack,
        items: i.items,
        templatesDir: join(shippedDir('templates'), 'scaffold'),
        vcs,
        remoteName: ctx.config.git.remote,
        env: ctx.runtime.env,
        signal: ctx.signal,
        progress: (message) => ctx.progress(message, 'tool'),
      });
      return { externalId: done.remote ?? done.dir, result: done };
    });
    updatePublished(ctx, i.plan_id, {
      scaffold: { dir: result.dir, commit: result.commit, remote: result.remote },
    });
    return {
      dir: result.dir,
      commit: result.commit,
      remote: result.remote,
      web_url: result.webUrl,
      files: result.files,
      note: result.note ?? null,
    };
  },
};

const document: ProviderAction = {
  name: 'plan.document',
  description: 'Writes the "Project plan" docs page (key plan/<plan-id>) with links to the tracker items',
  input: z.strictObject({
    plan_id: z.string().min(1),
    plan: z.unknown(),
    items: z.array(z.unknown()).default([]),
  }),
  outputs: ['key', 'url'],
  async run(input, ctx) {
    const i = input as { plan_id: string; plan: unknown; items: PublishedItem[] };
    const plan = planOf(i.plan, ctx);
    const page = await writePlanPage({
      docs: await ctx.providers.get('docs'),
      plan,
      planId: i.plan_id,
      items: i.items,
      ...signalOf(ctx),
    });
    updatePublished(ctx, i.plan_id, { docs: page });
    ctx.progress(`plan ${i.plan_id}: docs page ${page.url}`, 'tool');
    return page;
  },
};

function updatePublished(
  ctx: StepContext,
  planId: string,
  patch: Partial<PublishedState>,
  status?: 'published',
): void {
  const current = readPlan(ctx.ledger, planId)?.published ?? { items: [], links: 0 };
  writePlan(ctx.ledger, ctx.runtime, planId, {
    published: { ...current, ...patch },
    ...(status ? { status } : {}),
  });
}

export const planActions: ProviderAction[] = [generate, review, publish, scaffold, document];
