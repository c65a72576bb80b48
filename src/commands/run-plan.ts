// `aidev run --dry-run/--estimate`: what a run would do, built without changing anything (no fetch, no worktree, no
// ledger file created): the task, its branch, the workflow's steps and the estimated cost.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../../providers/types.js';
import { AGENT_TOOLS } from '../core/agent/tool-specs.js';
import { estimateWorkflowCost, type CostEstimate, type ModelStepEstimate } from '../core/ai/estimate.js';
import { resolvePrice } from '../core/ai/pricing.js';
import { renderPrompt } from '../core/ai/prompts.js';
import { estimateTokens } from '../core/ai/tokens.js';
import type { WorkflowDef } from '../core/engine/types.js';
import { branchNameFor } from '../core/git/names.js';
import { refExists } from '../core/git/repo.js';
import type { RunRow } from '../core/ledger/types.js';
import type { Session } from '../core/session.js';

export interface PlannedTask {
  id: string;
  title: string;
  status: Task['status'];
  branch: string;
  /** The branch exists already (the run will reuse it). */
  branchExists: boolean;
  /** An open pull request for the branch (the run updates it instead of opening another). */
  openPullRequest: string | null;
  estimate: CostEstimate | null;
  notes: string[];
}

export interface RunPlan {
  workflow: { name: string; file: string };
  steps: { id: string; kind: string; title?: string | undefined; detail?: string | undefined }[];
  tasks: PlannedTask[];
  model: string | null;
  parallel: number;
  estimateNote?: string | undefined;
}

const REPO_MAP_TOKENS = 4000;
const AI_STEP_PROMPT_TOKENS = 2500;

function stepDetail(kind: string, spec: unknown): string | undefined {
  if (kind === 'uses' && typeof spec === 'string') return spec;
  if (kind === 'run' && typeof spec === 'string') return spec;
  if ((kind === 'ai' || kind === 'agent') && spec && typeof spec === 'object') {
    const prompt = (spec as { prompt?: unknown }).prompt;
    return typeof prompt === 'string'
      ? `prompt ${prompt}`
      : kind === 'agent'
        ? 'prompt code_generation'
        : undefined;
  }
  return undefined;
}

function history(session: Session): RunRow[] {
  const { config, home, repoRoot } = session.loaded;
  const url = session.runtime.env.AIDEV_LEDGER_URL ?? config.ledger.url;
  // A dry run must not create a SQLite file; any other backend (PostgreSQL) is simply read.
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    const path = file
      ? join(repoRoot, file)
      : config.system.ledger_path
        ? join(repoRoot, config.system.ledger_path)
        : join(home, 'ledger.db');
    if (!existsSync(path)) return [];
  }
  return session.ledger().listRuns({ limit: 1000 });
}

/** The model the runs would use, without creating a provider (which may need a key a dry run should not need). */
function plannedModel(session: Session): string | null {
  const { ai } = session.loaded.config;
  const block = (ai as Record<string, unknown>)[ai.provider] as { model?: string } | undefined;
  return block?.model ?? ai.model ?? (ai.provider === 'fake' ? 'fake-model' : null);
}

function estimateFor(
  session: Session,
  workflow: WorkflowDef,
  task: Task,
  repoRoot: string,
  model: string | null,
  past: RunRow[],
): CostEstimate | null {
  if (!model) return null;
  const { config } = session.loaded;
  let price;
  try {
    price = resolvePrice(model, config).price;
  } catch {
    return null;
  }
  const steps: ModelStepEstimate[] = [];
  for (const step of workflow.steps) {
    if (step.kind === 'agent') {
      const spec = (step.spec ?? {}) as { prompt?: string; max_turns?: number };
      let promptTokens = REPO_MAP_TOKENS + estimateTokens(JSON.stringify(AGENT_TOOLS));
      try {
        const vars = {
          task,
          worktree: repoRoot,
          tools: AGENT_TOOLS,
          checks: config.verify.checks,
          blocked_paths: config.security.blocked_paths,
          max_turns: config.agent.max_turns,
          plan: null,
          feedback: null,
        };
        const rendered = renderPrompt(spec.prompt ?? 'code_generation', vars, repoRoot);
        promptTokens += estimateTokens(rendered.system + rendered.user);
      } catch {
        promptTokens += AI_STEP_PROMPT_TOKENS;
      }
      steps.push({ id: step.id, kind: 'agent', promptTokens, maxTurns: spec.max_turns });
    } else if (step.kind === 'ai')
      steps.push({ id: step.id, kind: 'ai', promptTokens: AI_STEP_PROMPT_TOKENS });
  }
  return estimateWorkflowCost({
    workflow: workflow.name,
    steps,
    price,
    maxTokens: config.ai.max_tokens,
    maxTurns: config.agent.max_turns,
    capUsd: config.cost.max_cost_per_task,
    history: past,
  });
}

export async function buildRunPlan(input: {
  session: Session;
  repoRoot: string;
  workflow: WorkflowDef;
  tasks: Task[];
  parallel: number;
}): Promise<RunPlan> {
  const { session, repoRoot, workflow } = input;
  const { config } = session.loaded;
  const git = { env: session.runtime.env };
  const model = plannedModel(session);
  const past = history(session);
  const vcs = await session.providers.get('vcs').catch(() => null);
  const tasks: PlannedTask[] = [];
  for (const task of input.tasks) {
    const branch = branchNameFor(config.git.branch_template, {
      task,
      inputs: { task_id: task.id },
      run: { id: '<run-id>', task_id: task.id },
    });
    const branchExists =
      (await refExists(repoRoot, `refs/heads/${branch}`, git)) ||
      (await refExists(repoRoot, `refs/remotes/${config.git.remote}/${branch}`, git));
    const pr = vcs ? await vcs.findPullRequest({ head: branch }).catch(() => null) : null;
    const notes: string[] = [];
    if (branchExists) notes.push(`the branch ${branch} exists: the run reuses it (nothing is reset)`);
    if (pr?.state === 'open')
      notes.push(`an open pull request exists (${pr.url}): the run updates it instead of opening another`);
    if (task.status === 'in_review' || task.status === 'done')
      notes.push(`the task is already ${task.status}`);
    tasks.push({
      id: task.id,
      title: task.title,
      status: task.status,
      branch,
      branchExists,
      openPullRequest: pr?.state === 'open' ? pr.url : null,
      estimate: estimateFor(session, workflow, task, repoRoot, model, past),
      notes,
    });
  }
  return {
    workflow: { name: workflow.name, file: workflow.file },
    steps: workflow.steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      title: s.title,
      detail: stepDetail(s.kind, s.spec),
    })),
    tasks,
    model,
    parallel: input.parallel,
    estimateNote: model
      ? undefined
      : "no estimate: set ai.model (or the provider block's model) so the price is known",
  };
}

export function formatPlan(plan: RunPlan): string {
  const usd = (n: number): string => `$${n.toFixed(n < 1 ? 3 : 2)}`;
  const lines = [
    `Plan (dry run, nothing was changed): workflow ${plan.workflow.name} (${plan.workflow.file})`,
  ];
  for (const t of plan.tasks) {
    lines.push(
      '',
      `${t.id}: ${t.title} [${t.status}]`,
      `  branch: ${t.branch}${t.branchExists ? ' (exists, reused)' : ''}`,
    );
    if (t.estimate)
      lines.push(
        `  estimated cost: ${usd(t.estimate.low)} – ${usd(t.estimate.high)} (typical ${usd(t.estimate.typical)}, from ${t.estimate.basis === 'history' ? `${t.estimate.historyRuns} past runs` : 'prompt sizes'}${plan.model ? `, ${plan.model}` : ''})`,
      );
    for (const note of t.notes) lines.push(`  note: ${note}`);
  }
  if (plan.estimateNote) lines.push('', plan.estimateNote);
  lines.push('', 'Steps:');
  plan.steps.forEach((s, i) =>
    lines.push(
      `  ${i + 1}. ${s.id} (${s.kind}${s.detail ? `: ${s.detail}` : ''})${s.title ? ` – ${s.title}` : ''}`,
    ),
  );
  if (plan.tasks.length > 1) lines.push('', `Runs at most ${plan.parallel} at once.`);
  return lines.join('\n');
}
