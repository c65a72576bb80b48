import { describe, expect, it } from 'vitest';
import {
  agentLoopCost,
  CALIBRATION_MIN_RUNS,
  estimateFromLedger,
  estimateWorkflowCost,
  percentile,
  type EstimateInput,
} from './estimate.js';

const SONNET = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };
const base: EstimateInput = {
  workflow: 'standard_dev',
  steps: [
    { id: 'plan', kind: 'ai', promptTokens: 3000 },
    { id: 'code', kind: 'agent', promptTokens: 6000 },
    { id: 'pr', kind: 'ai', promptTokens: 2000, maxTokens: 1024 },
  ],
  price: SONNET,
  maxTokens: 8192,
  maxTurns: 40,
};

describe('estimateWorkflowCost', () => {
  it('orders low ≤ typical ≤ high from prompt sizes and turn limits', () => {
    const e = estimateWorkflowCost(base);
    expect(e.basis).toBe('prompts');
    expect(e.low).toBeGreaterThan(0);
    expect(e.low).toBeLessThan(e.typical);
    expect(e.typical).toBeLessThan(e.high);
    expect(e.steps.map((s) => s.id)).toEqual(['plan', 'code', 'pr']);
    expect(e.low).toBeCloseTo(e.steps.reduce((sum, s) => sum + s.low, 0));
  });

  it('grows with the turn limit and the prompt size', () => {
    const more = estimateWorkflowCost({ ...base, maxTurns: 80 });
    const bigger = estimateWorkflowCost({
      ...base,
      steps: base.steps.map((s) => ({ ...s, promptTokens: s.promptTokens * 4 })),
    });
    expect(more.high).toBeGreaterThan(estimateWorkflowCost(base).high);
    expect(bigger.typical).toBeGreaterThan(estimateWorkflowCost(base).typical);
  });

  it('cuts high at the run cap, which spend can never pass', () => {
    const e = estimateWorkflowCost({ ...base, capUsd: 0.5 });
    expect(e.high).toBe(0.5);
    expect(e.cappedAtUsd).toBe(0.5);
    expect(e.typical).toBeLessThanOrEqual(0.5);
  });

  it('calibrates from 20+ finished runs of the same workflow, ignoring others', () => {
    const runs = Array.from({ length: CALIBRATION_MIN_RUNS }, (_, i) => ({
      workflow: 'standard_dev',
      status: 'succeeded' as const,
      costUsd: (i + 1) / 10,
      finishedAt: '2026-03-01T00:00:00Z',
    }));
    const noise = [
      {
        workflow: 'plan_project',
        status: 'succeeded' as const,
        costUsd: 50,
        finishedAt: '2026-03-01T00:00:00Z',
      },
    ];
    const fewer = estimateWorkflowCost({ ...base, history: [...runs.slice(1), ...noise] });
    expect(fewer.basis).toBe('prompts');
    expect(fewer.historyRuns).toBe(19);
    const e = estimateWorkflowCost({ ...base, history: [...runs, ...noise] });
    expect(e).toMatchObject({ basis: 'history', historyRuns: 20 });
    expect(e.typical).toBeCloseTo(
      percentile(
        runs.map((r) => r.costUsd),
        0.5,
      ),
    );
    expect(e.low).toBeCloseTo(0.29);
    expect(e.high).toBeCloseTo(1.905);
  });

  it('reads history through ledger.listRuns', () => {
    const ledger = {
      listRuns: () =>
        Array.from({ length: 25 }, () => ({
          workflow: 'standard_dev',
          status: 'succeeded',
          costUsd: 1,
          finishedAt: 'x',
        })),
    };
    expect(estimateFromLedger(ledger as never, base)).toMatchObject({
      basis: 'history',
      typical: 1,
      low: 1,
      high: 1,
    });
  });

  it('prices later agent turns mostly as cache reads', () => {
    const oneTurn = agentLoopCost(10_000, 1, 500, 1000, SONNET);
    expect(oneTurn).toBeCloseTo((10_000 * 3.75 + 500 * 15) / 1e6);
    const twoTurns = agentLoopCost(10_000, 2, 500, 1000, SONNET);
    expect(twoTurns - oneTurn).toBeCloseTo((11_500 * 0.3 + 1500 * 3.75 + 500 * 15) / 1e6);
  });
});

describe('percentile', () => {
  it('interpolates', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([], 0.5)).toBe(0);
  });
});
