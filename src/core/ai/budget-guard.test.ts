import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventRecorder, settableClock, tempLedger, type TempLedger } from '../../../test/helpers/ai-kit.js';
import type { AidevError } from '../errors.js';
import { createBudgetGuard, monthOf, type BudgetCaps } from './budget-guard.js';
import { costOf } from './pricing.js';

const SONNET = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };
const CAPS: BudgetCaps = { maxCostUsd: 0.05, maxTokens: 1_000_000, monthlyBudgetUsd: 100, warnAtPercent: 80 };

let t: TempLedger;
beforeEach(() => {
  t = tempLedger();
});
afterEach(() => t.cleanup());

function startRun(id: string, at = '2026-03-15T12:00:00.000Z'): void {
  t.ledger.createRun({ id, workflow: 'standard_dev', startedAt: at });
}

const call = (usage: { inputTokens: number; outputTokens: number }, price = SONNET) => {
  const full = { cacheReadTokens: 0, cacheWriteTokens: 0, ...usage };
  return {
    provider: 'fake',
    model: 'fake-model',
    usage: full,
    costUsd: costOf(full, price),
    stepId: 'code',
    taskId: 'T-1',
    workflow: 'standard_dev',
  };
};

describe('budget guard', () => {
  it('shrinks max_tokens to the run headroom, pricing input at the dearer cache-write rate', () => {
    startRun('r-1');
    const guard = createBudgetGuard({ ledger: t.ledger, runId: 'r-1', caps: CAPS, clock: settableClock() });
    const res = guard.reserve({ price: SONNET, inputTokens: 1000, maxTokens: 8192, model: 'fake-model' });
    const input = Math.ceil(1000 * 1.1) + 16;
    expect(res.inputTokens).toBe(input);
    expect(res.maxTokens).toBe(Math.floor(((0.05 - (input * 3.75) / 1e6 - 1e-9) * 1e6) / 15));
    expect(res.shrunk).toBe(true);
    expect(res.worstCaseUsd).toBeLessThanOrEqual(0.05);
  });

  it('leaves max_tokens alone when it fits', () => {
    startRun('r-1');
    const guard = createBudgetGuard({
      ledger: t.ledger,
      runId: 'r-1',
      caps: { ...CAPS, maxCostUsd: 5 },
      clock: settableClock(),
    });
    expect(
      guard.reserve({ price: SONNET, inputTokens: 1000, maxTokens: 4096, model: 'fake-model' }),
    ).toMatchObject({ maxTokens: 4096, shrunk: false });
  });

  it('stops with BUDGET_EXCEEDED (exit 3) and a resume hint when not even the floor fits', () => {
    startRun('r-1');
    const guard = createBudgetGuard({ ledger: t.ledger, runId: 'r-1', caps: CAPS, clock: settableClock() });
    const first = guard.reserve({ price: SONNET, inputTokens: 1000, maxTokens: 8192, model: 'fake-model' });
    guard.settle(first, call({ inputTokens: 1000, outputTokens: first.maxTokens }));
    let error: AidevError | undefined;
    try {
      guard.reserve({ price: SONNET, inputTokens: 1000, maxTokens: 8192, model: 'fake-model' });
    } catch (e) {
      error = e as AidevError;
    }
    expect(error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      exitCode: 3,
      details: { cap: 'run_cost', runId: 'r-1' },
    });
    expect(error!.message).toContain('cost cap');
    expect(error!.hint).toMatch(/aidev resume r-1 --max-cost \d/);
    expect(t.ledger.getRun('r-1')!.costUsd).toBeLessThanOrEqual(0.05);
  });

  it('binds on the run token cap, counting input and output', () => {
    startRun('r-1');
    const guard = createBudgetGuard({
      ledger: t.ledger,
      runId: 'r-1',
      caps: { ...CAPS, maxCostUsd: 100, maxTokens: 2000 },
      clock: settableClock(),
    });
    const res = guard.reserve({ price: SONNET, inputTokens: 1000, maxTokens: 8192, model: 'fake-model' });
    expect(res.inputTokens + res.maxTokens).toBe(2000);
    guard.settle(res, call({ inputTokens: 1000, outputTokens: 900 }));
    expect(() =>
      guard.reserve({ price: SONNET, inputTokens: 10, maxTokens: 8192, model: 'fake-model' }),
    ).toThrow(
      expect.objectContaining({
        code: 'BUDGET_EXCEEDED',
        details: expect.objectContaining({ cap: 'run_tokens' }),
      }),
    );
  });

  it('counts open reservations of other runs against the monthly budget, and a release frees them', () => {
    const clock = settableClock();
    const caps = { ...CAPS, maxCostUsd: 10, monthlyBudgetUsd: 0.1 };
    const guards = ['r-a', 'r-b', 'r-c', 'r-d'].map(
      (id) => (startRun(id), createBudgetGuard({ ledger: t.ledger, runId: id, caps, clock })),
    );
    const held = [];
    for (const guard of guards) {
      try {
        held.push(guard.reserve({ price: SONNET, inputTokens: 500, maxTokens: 4096, model: 'fake-model' }));
      } catch (error) {
        expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', details: { cap: 'monthly' } });
      }
    }
    const reserved = held.reduce((sum, r) => sum + r.worstCaseUsd, 0);
    expect(held.length).toBeGreaterThan(1);
    expect(held.length).toBeLessThan(4);
    expect(reserved).toBeLessThanOrEqual(0.1);
    guards[0]!.release(held[0]!);
    expect(() =>
      guards[3]!.reserve({ price: SONNET, inputTokens: 500, maxTokens: 1024, model: 'fake-model' }),
    ).not.toThrow();
  });

  it('books each call to the UTC month of the injected clock: a new month has a fresh budget', () => {
    const clock = settableClock('2026-01-31T23:59:30.000Z');
    const caps = { ...CAPS, maxCostUsd: 10, monthlyBudgetUsd: 0.02 };
    startRun('r-jan', '2026-01-31T23:59:00.000Z');
    const guard = createBudgetGuard({ ledger: t.ledger, runId: 'r-jan', caps, clock });
    const res = guard.reserve({ price: SONNET, inputTokens: 200, maxTokens: 8192, model: 'fake-model' });
    expect(res.month).toBe('2026-01');
    guard.settle(res, call({ inputTokens: 200, outputTokens: res.maxTokens }));
    expect(() =>
      guard.reserve({ price: SONNET, inputTokens: 200, maxTokens: 8192, model: 'fake-model' }),
    ).toThrow(/monthly budget for 2026-01/);

    clock.set('2026-02-01T00:00:05.000Z');
    const next = guard.reserve({ price: SONNET, inputTokens: 200, maxTokens: 8192, model: 'fake-model' });
    expect(next.month).toBe('2026-02');
    guard.settle(next, call({ inputTokens: 200, outputTokens: 100 }));
    const [feb] = t.ledger.spend({ since: '2026-02-01', until: '2026-03-01' });
    expect(feb!.calls).toBe(1);
    expect(monthOf(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12');
  });

  it('records the call in model_calls and the run totals, and emits model.usage', () => {
    startRun('r-1');
    const recorder = eventRecorder();
    const guard = createBudgetGuard({
      ledger: t.ledger,
      runId: 'r-1',
      caps: { ...CAPS, maxCostUsd: 5 },
      clock: settableClock(),
      emit: recorder.emit,
    });
    const res = guard.reserve({ price: SONNET, inputTokens: 100, maxTokens: 1000, model: 'fake-model' });
    const totals = guard.settle(res, call({ inputTokens: 100, outputTokens: 50 }));
    const [row] = t.ledger.listModelCalls('r-1');
    expect(row).toMatchObject({
      model: 'fake-model',
      inputTokens: 100,
      outputTokens: 50,
      stepId: 'code',
      taskId: 'T-1',
    });
    expect(totals).toEqual({ totalCostUsd: row!.costUsd, totalTokens: 150 });
    expect(recorder.ofType('model.usage')).toEqual([
      expect.objectContaining({ runId: 'r-1', stepId: 'code', costUsd: row!.costUsd, totalTokens: 150 }),
    ]);
  });

  it('warns once per cap, on the call that crosses warn_at_percent', () => {
    startRun('r-1');
    const recorder = eventRecorder();
    const caps = { maxCostUsd: 1, maxTokens: 1_000_000, monthlyBudgetUsd: 100, warnAtPercent: 50 };
    const guard = createBudgetGuard({
      ledger: t.ledger,
      runId: 'r-1',
      caps,
      clock: settableClock(),
      emit: recorder.emit,
    });
    for (let i = 0; i < 6; i++) {
      const res = guard.reserve({ price: SONNET, inputTokens: 100, maxTokens: 8192, model: 'fake-model' });
      guard.settle(res, call({ inputTokens: 0, outputTokens: 10_000 })); // $0.15 each
    }
    const warnings = recorder.ofType('budget.warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ runId: 'r-1', percent: 60 });
    expect(warnings[0]!.message).toContain('of its $1.00 cap');
  });

  it('lets an unpriced ($0) model past the $ caps but not past the token cap', () => {
    startRun('r-1');
    const zero = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
    const guard = createBudgetGuard({
      ledger: t.ledger,
      runId: 'r-1',
      caps: { ...CAPS, maxCostUsd: 0, monthlyBudgetUsd: 0, maxTokens: 5000 },
      clock: settableClock(),
    });
    const res = guard.reserve({ price: zero, inputTokens: 1000, maxTokens: 8192, model: 'local' });
    expect(res.maxTokens).toBe(5000 - res.inputTokens);
    expect(res.worstCaseUsd).toBe(0);
  });
});
