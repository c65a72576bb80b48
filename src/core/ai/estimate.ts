// Low / typical / high cost of a workflow run before it starts. From counted prompt sizes, turn limits and prices at
// first; once the ledger holds 20+ finished runs of the same workflow, from the percentiles of what they really cost.
// Pure over its inputs; estimateFromLedger only adds a read of recent runs.
import type { ModelPrice } from '../../../providers/types.js';
import type { Ledger } from '../ledger/index.js';
import type { RunRow } from '../ledger/types.js';

export const CALIBRATION_MIN_RUNS = 20;

export interface ModelStepEstimate {
  id: string;
  /** `ai`: one call. `agent`: a loop of turns whose context grows and is prompt-cached. */
  kind: 'ai' | 'agent';
  /** Input tokens of the step's first request (system, tools, first message), counted or estimated. */
  promptTokens: number;
  /** Agent turn limit (default: the input's maxTurns, i.e. agent.max_turns). */
  maxTurns?: number | undefined;
  /** Output tokens per call (default: the input's maxTokens, i.e. ai.max_tokens). */
  maxTokens?: number | undefined;
}

export interface EstimateInput {
  workflow: string;
  steps: readonly ModelStepEstimate[];
  price: ModelPrice;
  maxTokens: number;
  maxTurns: number;
  /** The run's $ cap: spend cannot pass it, so neither does `high`. */
  capUsd?: number | undefined;
  /** Past runs (any workflow; filtered here). */
  history?: readonly Pick<RunRow, 'workflow' | 'status' | 'costUsd' | 'finishedAt'>[] | undefined;
}

export interface CostEstimate {
  workflow: string;
  low: number;
  typical: number;
  high: number;
  basis: 'prompts' | 'history';
  /** Finished runs of this workflow the estimate could learn from. */
  historyRuns: number;
  /** Set when `high` was cut to the run's cap. */
  cappedAtUsd: number | null;
  steps: { id: string; low: number; typical: number; high: number }[];
}

interface Scenario {
  /** Share of the turn limit an agent uses. */
  turnShare: number;
  /** Output tokens per turn / per call. */
  output: number;
  /** Tokens a turn adds to the context besides its output (tool results). */
  toolResult: number;
}

const SCENARIOS: Record<'low' | 'typical' | 'high', Scenario> = {
  low: { turnShare: 0.15, output: 300, toolResult: 800 },
  typical: { turnShare: 0.4, output: 700, toolResult: 1500 },
  high: { turnShare: 1, output: 2000, toolResult: 3000 },
};

const perM = (tokens: number, usdPerMillion: number): number => (tokens * usdPerMillion) / 1_000_000;

/** One agent loop: turn 1 writes the prompt to the cache; each later turn reads the previous context and writes its growth. */
export function agentLoopCost(
  promptTokens: number,
  turns: number,
  output: number,
  toolResult: number,
  price: ModelPrice,
): number {
  const growth = output + toolResult;
  let cost = perM(promptTokens, price.cacheWrite) + perM(output, price.output);
  for (let turn = 2; turn <= turns; turn++) {
    const previous = promptTokens + (turn - 1) * growth;
    cost += perM(previous, price.cacheRead) + perM(growth, price.cacheWrite) + perM(output, price.output);
  }
  return cost;
}

function stepCost(step: ModelStepEstimate, scenario: Scenario, input: EstimateInput): number {
  const maxTokens = step.maxTokens ?? input.maxTokens;
  const output = scenario === SCENARIOS.high ? maxTokens : Math.min(scenario.output, maxTokens);
  if (step.kind === 'ai')
    return perM(step.promptTokens, input.price.input) + perM(output, input.price.output);
  const turns = Math.max(1, Math.ceil((step.maxTurns ?? input.maxTurns) * scenario.turnShare));
  return agentLoopCost(
    step.promptTokens,
    turns,
    Math.min(scenario.output, maxTokens),
    scenario.toolResult,
    input.price,
  );
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function estimateWorkflowCost(input: EstimateInput): CostEstimate {
  const past = (input.history ?? [])
    .filter((r) => r.workflow === input.workflow && r.finishedAt && r.status !== 'running' && r.costUsd > 0)
    .map((r) => r.costUsd)
    .sort((a, b) => a - b);
  const steps = input.steps.map((step) => ({
    id: step.id,
    low: stepCost(step, SCENARIOS.low, input),
    typical: stepCost(step, SCENARIOS.typical, input),
    high: stepCost(step, SCENARIOS.high, input),
  }));
  const sum = (key: 'low' | 'typical' | 'high'): number => steps.reduce((total, s) => total + s[key], 0);
  const calibrated = past.length >= CALIBRATION_MIN_RUNS;
  let low = calibrated ? percentile(past, 0.1) : sum('low');
  let typical = calibrated ? percentile(past, 0.5) : sum('typical');
  let high = calibrated ? percentile(past, 0.95) : sum('high');
  let cappedAtUsd: number | null = null;
  if (input.capUsd !== undefined && high > input.capUsd) {
    high = input.capUsd;
    cappedAtUsd = input.capUsd;
    typical = Math.min(typical, high);
    low = Math.min(low, typical);
  }
  return {
    workflow: input.workflow,
    low,
    typical,
    high,
    basis: calibrated ? 'history' : 'prompts',
    historyRuns: past.length,
    cappedAtUsd,
    steps,
  };
}

/** estimateWorkflowCost with the ledger's recent runs as history. */
export function estimateFromLedger(
  ledger: Pick<Ledger, 'listRuns'>,
  input: Omit<EstimateInput, 'history'>,
): CostEstimate {
  return estimateWorkflowCost({ ...input, history: ledger.listRuns({ limit: 1000 }) });
}
