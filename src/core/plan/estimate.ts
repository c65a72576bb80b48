// `aidev plan --estimate`: what drafting the plan may cost, before any model call. One structured call, plus up to
// plan.max_repairs repair calls in the worst case (each resends the conversation so far).
import type { Config } from '../config/schema.js';
import { estimateWorkflowCost, type CostEstimate } from '../ai/estimate.js';
import { resolvePrice } from '../ai/pricing.js';
import { renderPrompt } from '../ai/prompts.js';
import { estimateTokens } from '../ai/tokens.js';
import { isAidevError } from '../errors.js';
import type { RepoContext } from './context.js';
import { promptVars, PLAN_PROMPT } from './generate.js';
import type { ProjectRequest } from './request.js';
import { planJsonSchema } from './schema.js';
import type { PlanSettings } from './settings.js';

export interface PlanEstimate {
  model: string | null;
  promptTokens: number;
  maxOutputTokens: number;
  estimate: CostEstimate | null;
  /** Every repair used, each answer at max_tokens (capped by cost.max_cost_per_task). */
  worstCaseUsd: number | null;
  repairs: number;
  note?: string | undefined;
}

/** The model a plan would use, without creating the provider (which may need a key an estimate should not need). */
export function plannedModel(config: Config): string | null {
  const { ai } = config;
  const block = (ai as Record<string, unknown>)[ai.provider] as { model?: string } | undefined;
  return block?.model ?? ai.model ?? (ai.provider === 'fake' ? 'fake-model' : null);
}

export function estimatePlan(input: {
  config: Config;
  settings: PlanSettings;
  request: ProjectRequest;
  context: RepoContext | null;
  repoRoot: string;
  history: Parameters<typeof estimateWorkflowCost>[0]['history'];
}): PlanEstimate {
  const { config, settings } = input;
  const rendered = renderPrompt(PLAN_PROMPT, promptVars({ ...input, feedback: undefined }), input.repoRoot);
  const promptTokens = estimateTokens(rendered.system + rendered.user + JSON.stringify(planJsonSchema()));
  const maxOutputTokens = Math.min(settings.maxTokens ?? config.ai.max_tokens, config.ai.max_tokens);
  const model = plannedModel(config);
  const base = { model, promptTokens, maxOutputTokens, repairs: settings.maxRepairs };
  if (!model)
    return { ...base, estimate: null, worstCaseUsd: null, note: 'set ai.model to get a cost estimate' };
  let price;
  try {
    price = resolvePrice(model, config).price;
  } catch (error) {
    if (isAidevError(error)) return { ...base, estimate: null, worstCaseUsd: null, note: error.message };
    throw error;
  }
  const estimate = estimateWorkflowCost({
    workflow: config.workflows.plan,
    steps: [{ id: 'generate', kind: 'ai', promptTokens, maxTokens: maxOutputTokens }],
    price,
    maxTokens: maxOutputTokens,
    maxTurns: 1,
    capUsd: config.cost.max_cost_per_task,
    history: input.history,
  });
  // Repair call n resends the prompt and the n earlier answers (each up to max_tokens), and answers in full again.
  let worst = 0;
  for (let call = 0; call <= settings.maxRepairs; call++)
    worst +=
      ((promptTokens + call * (maxOutputTokens + 300)) * price.input + maxOutputTokens * price.output) /
      1_000_000;
  return { ...base, estimate, worstCaseUsd: Math.min(worst, config.cost.max_cost_per_task) };
}
