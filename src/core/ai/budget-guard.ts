// The one budget check every model call passes. Before a call it reserves the worst case (input at the dearer of the
// input and cache-write prices, plus max_tokens of output) inside the ledger's exclusive lock, shrinking max_tokens to
// the headroom left under the run's $ cap, the run's token cap and the month's budget; after the call it settles the
// actual usage. Reservations, not check-then-spend: concurrent runs and processes can never jointly overspend.
import type { AiUsage, ModelPrice } from '../../../providers/types.js';
import { AidevError } from '../errors.js';
import type { Emit } from '../events.js';
import type { Ledger } from '../ledger/index.js';
import type { Clock } from '../runtime.js';

/** Longer than any model call may last (SDK timeouts are minutes), so a live call's reservation is never taken. */
const STALE_RESERVATION_MS = 60 * 60 * 1000;

export interface BudgetCaps {
  /** USD per run. */
  maxCostUsd: number;
  /** Tokens per run: input (cached or not) plus output. */
  maxTokens: number;
  /** USD per calendar month (UTC), across every run on this ledger. */
  monthlyBudgetUsd: number;
  warnAtPercent: number;
}

export interface BudgetGuardOptions {
  ledger: Ledger;
  runId: string | null;
  caps: BudgetCaps;
  clock: Clock;
  emit?: Emit | undefined;
  /** Below this many output tokens a call is not worth making (default 256, or the request's own max if smaller). */
  minOutputTokens?: number | undefined;
  /** Headroom on counted input tokens: estimates and count endpoints can both come in a little low. */
  inputMargin?: number | undefined;
}

export interface Reservation {
  id: number;
  /** The max_tokens the call may use (possibly shrunk). */
  maxTokens: number;
  /** Input tokens reserved, margin included. */
  inputTokens: number;
  worstCaseUsd: number;
  month: string;
  shrunk: boolean;
}

export interface SettledCall {
  provider: string;
  model: string;
  usage: AiUsage;
  costUsd: number;
  stepId: string | null;
  taskId: string | null;
  workflow: string | null;
}

export interface BudgetGuard {
  reserve(request: { price: ModelPrice; inputTokens: number; maxTokens: number; model: string }): Reservation;
  settle(reservation: Reservation, call: SettledCall): { totalCostUsd: number; totalTokens: number };
  release(reservation: Reservation): void;
}

type Cap = 'run_cost' | 'run_tokens' | 'monthly';

const EPSILON_USD = 1e-9;

/** `YYYY-MM` of a date in UTC: the month a call is booked to. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

function nextMonth(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
}

export function formatUsd(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

export function createBudgetGuard(options: BudgetGuardOptions): BudgetGuard {
  const { ledger, runId, caps, clock } = options;
  const margin = options.inputMargin ?? 1.1;

  function reserve(request: {
    price: ModelPrice;
    inputTokens: number;
    maxTokens: number;
    model: string;
  }): Reservation {
    const now = clock.now();
    const month = monthOf(now);
    const input = Math.ceil(request.inputTokens * margin) + 16;
    const inPrice = Math.max(request.price.input, request.price.cacheWrite);
    const outPrice = request.price.output;
    const inputUsd = (input * inPrice) / 1_000_000;
    const floor = Math.min(options.minOutputTokens ?? 256, request.maxTokens);

    return ledger.withBudgetLock((tx) => {
      // A process killed mid-call leaves its reservation behind; after this long no call can still be in flight.
      tx.releaseStale(new Date(now.getTime() - STALE_RESERVATION_MS).toISOString());
      const run = runId ? tx.runSpend(runId) : { costUsd: 0, tokens: 0 };
      const monthSpent = tx.monthSpend(month);
      // Output tokens that fit in a $ headroom after the input. A $0 (unpriced) model spends nothing, so $ caps never bind it.
      const outputFor = (usdLeft: number): number => {
        if (inPrice === 0 && outPrice === 0) return Infinity;
        const left = usdLeft - inputUsd - EPSILON_USD;
        if (left < 0) return -1;
        return outPrice > 0 ? Math.floor((left * 1_000_000) / outPrice) : Infinity;
      };
      const limits: Record<Cap, number> = {
        run_cost: outputFor(caps.maxCostUsd - run.costUsd),
        run_tokens: caps.maxTokens - run.tokens - input,
        monthly: outputFor(caps.monthlyBudgetUsd - monthSpent),
      };
      const binding = (Object.keys(limits) as Cap[]).reduce((a, b) => (limits[b] < limits[a] ? b : a));
      const allowed = Math.min(request.maxTokens, limits[binding]);
      if (allowed < floor) {
        throw budgetExceeded(binding, {
          runId,
          month,
          model: request.model,
          caps,
          spentUsd: binding === 'monthly' ? monthSpent : run.costUsd,
          spentTokens: run.tokens,
          neededUsd: inputUsd + (floor * outPrice) / 1_000_000,
          neededTokens: input + floor,
        });
      }
      const worstCaseUsd = inputUsd + (allowed * outPrice) / 1_000_000;
      const id = tx.reserve({
        runId,
        month,
        costUsd: worstCaseUsd,
        tokens: input + allowed,
        at: now.toISOString(),
      });
      return {
        id,
        maxTokens: allowed,
        inputTokens: input,
        worstCaseUsd,
        month,
        shrunk: allowed < request.maxTokens,
      };
    });
  }

  function settle(
    reservation: Reservation,
    call: SettledCall,
  ): { totalCostUsd: number; totalTokens: number } {
    const at = clock.now().toISOString();
    const tokens =
      call.usage.inputTokens +
      call.usage.outputTokens +
      call.usage.cacheReadTokens +
      call.usage.cacheWriteTokens;
    ledger.settle(reservation.id, {
      runId,
      stepId: call.stepId,
      taskId: call.taskId,
      workflow: call.workflow,
      provider: call.provider,
      model: call.model,
      ...call.usage,
      costUsd: call.costUsd,
      at,
    });
    const run = runId ? ledger.getRun(runId) : null;
    const totalCostUsd = run?.costUsd ?? call.costUsd;
    const totalTokens = run?.tokens ?? tokens;
    if (call.costUsd > reservation.worstCaseUsd + EPSILON_USD) {
      emitLog(
        `the ${call.model} call cost ${formatUsd(call.costUsd)}, more than the ${formatUsd(reservation.worstCaseUsd)} reserved for it (the token count came in low)`,
        at,
      );
    }
    warnOnCrossing('run_cost', totalCostUsd - call.costUsd, totalCostUsd, caps.maxCostUsd, at);
    warnOnCrossing('run_tokens', totalTokens - tokens, totalTokens, caps.maxTokens, at);
    const month = at.slice(0, 7);
    const monthTotal = ledger
      .spend({ since: `${month}-01`, until: `${nextMonth(month)}-01` })
      .reduce((sum, row) => sum + row.costUsd, 0);
    warnOnCrossing('monthly', monthTotal - call.costUsd, monthTotal, caps.monthlyBudgetUsd, at);
    options.emit?.({
      type: 'model.usage',
      runId: runId ?? '',
      stepId: call.stepId ?? '',
      model: call.model,
      usage: call.usage,
      costUsd: call.costUsd,
      totalCostUsd,
      totalTokens,
      at,
    });
    return { totalCostUsd, totalTokens };
  }

  /** Fires once per cap: only the call whose spend crosses the threshold warns. */
  function warnOnCrossing(cap: Cap, before: number, after: number, limit: number, at: string): void {
    if (!options.emit || limit <= 0) return;
    const threshold = (limit * caps.warnAtPercent) / 100;
    if (before >= threshold || after < threshold) return;
    const percent = Math.round((after / limit) * 100);
    const what = {
      run_cost: `the run has spent ${formatUsd(after)} of its ${formatUsd(limit)} cap`,
      run_tokens: `the run has used ${after} of its ${limit} tokens`,
      monthly: `this month's spend is ${formatUsd(after)} of the ${formatUsd(limit)} monthly budget`,
    }[cap];
    options.emit({
      type: 'budget.warning',
      runId: runId ?? '',
      message: `${what} (${percent}%)`,
      percent,
      at,
    });
  }

  function emitLog(message: string, at: string): void {
    options.emit?.({ type: 'log', level: 'warn', message, runId: runId ?? undefined, at });
  }

  return { reserve, settle, release: (reservation) => ledger.release(reservation.id) };
}

interface ExceededFacts {
  runId: string | null;
  month: string;
  model: string;
  caps: BudgetCaps;
  spentUsd: number;
  spentTokens: number;
  neededUsd: number;
  neededTokens: number;
}

function budgetExceeded(cap: Cap, facts: ExceededFacts): AidevError {
  const run = facts.runId ? `the run ${facts.runId}` : 'this call';
  const resume = facts.runId ? `aidev resume ${facts.runId}` : 'run it again';
  const details = {
    cap,
    runId: facts.runId,
    month: facts.month,
    model: facts.model,
    neededUsd: facts.neededUsd,
  };
  if (cap === 'run_tokens') {
    return new AidevError(
      'BUDGET_EXCEEDED',
      `${run} reached its token cap: ${facts.spentTokens} of ${facts.caps.maxTokens} tokens used, and the next ${facts.model} call needs at least ${facts.neededTokens}`,
      {
        hint: `raise cost.max_tokens_per_task in .aidevrc.yaml, then ${resume}`,
        details: { ...details, limit: facts.caps.maxTokens, spent: facts.spentTokens },
      },
    );
  }
  if (cap === 'monthly') {
    return new AidevError(
      'BUDGET_EXCEEDED',
      `the monthly budget for ${facts.month} (UTC) is used up: ${formatUsd(facts.spentUsd)} of ${formatUsd(facts.caps.monthlyBudgetUsd)} spent or reserved, and the next ${facts.model} call needs up to ${formatUsd(facts.neededUsd)}`,
      {
        hint: `raise cost.monthly_budget in .aidevrc.yaml (then ${resume}), or wait for the next month`,
        details: { ...details, limit: facts.caps.monthlyBudgetUsd, spent: facts.spentUsd },
      },
    );
  }
  const suggested =
    Math.ceil(Math.max(facts.caps.maxCostUsd * 2, facts.spentUsd + facts.neededUsd * 4) * 100) / 100;
  return new AidevError(
    'BUDGET_EXCEEDED',
    `${run} reached its cost cap: ${formatUsd(facts.spentUsd)} of ${formatUsd(facts.caps.maxCostUsd)} spent or reserved, and the next ${facts.model} call needs up to ${formatUsd(facts.neededUsd)}`,
    {
      hint: facts.runId
        ? `the run is saved; raise the cap and continue: aidev resume ${facts.runId} --max-cost ${suggested}`
        : 'raise cost.max_cost_per_task in .aidevrc.yaml',
      details: { ...details, limit: facts.caps.maxCostUsd, spent: facts.spentUsd },
    },
  );
}
