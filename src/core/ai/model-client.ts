// The only way a model call happens: redact → rate limit → reserve budget → stream from the provider → settle → events.
// The engine and the coding agent hold a ModelClient per step; nothing else talks to an AiProvider directly.
import type { AiProvider, AiRequest, AiResponse, AiStreamEvent, Logger } from '../../../providers/types.js';
import type { Config } from '../config/schema.js';
import type { Emit } from '../events.js';
import type { Ledger } from '../ledger/index.js';
import type { Runtime } from '../runtime.js';
import { createBudgetGuard, type BudgetCaps } from './budget-guard.js';
import { costOf, resolvePrice, type ResolvedPrice } from './pricing.js';
import type { RateLimiter } from './rate-limit.js';
import type { Redactor } from './redact.js';
import { estimateTokens } from './tokens.js';

export interface ModelClientOptions {
  provider: AiProvider;
  ledger: Ledger;
  runId: string | null;
  stepId: string | null;
  taskId: string | null;
  workflow: string | null;
  config: Pick<Config, 'ai' | 'cost'>;
  runtime: Runtime;
  emit: Emit;
  redactor: Redactor;
  limiter: RateLimiter;
  logger?: Logger | undefined;
  /** Cap overrides; by default the run row's max_cost_usd / max_tokens (set by resume --max-cost), else config cost.*. */
  caps?: Partial<BudgetCaps> | undefined;
}

export interface ModelCallOptions {
  signal?: AbortSignal | undefined;
  onText?: ((text: string) => void) | undefined;
  onEvent?: ((event: AiStreamEvent) => void) | undefined;
}

/** A request as callers write it: max_tokens defaults to the configured limit (ai.<provider>.max_tokens, ai.max_tokens). */
export type ModelRequest = Omit<AiRequest, 'maxTokens'> & { maxTokens?: number | undefined };

export interface ModelClient {
  /** The model calls go to unless a request names another. */
  readonly model: string;
  complete(request: ModelRequest, opts?: ModelCallOptions): Promise<AiResponse>;
}

interface ProviderBlock {
  model?: string;
  max_tokens?: number;
  temperature?: number;
}

export function createModelClient(options: ModelClientOptions): ModelClient {
  const { provider, ledger, runId, config, runtime, emit, redactor, limiter } = options;
  // The provider's own block (ai.anthropic.model…) beats ai.*, which beats the provider's built-in default.
  const block = ((config.ai as Record<string, unknown>)[provider.id] ?? {}) as ProviderBlock;
  const defaultModel = block.model ?? config.ai.model ?? provider.model;
  const warnedUnpriced = new Set<string>();

  function capsNow(): BudgetCaps {
    const run = runId ? ledger.getRun(runId) : null;
    return {
      maxCostUsd: options.caps?.maxCostUsd ?? run?.maxCostUsd ?? config.cost.max_cost_per_task,
      maxTokens: options.caps?.maxTokens ?? run?.maxTokens ?? config.cost.max_tokens_per_task,
      monthlyBudgetUsd: options.caps?.monthlyBudgetUsd ?? config.cost.monthly_budget,
      warnAtPercent: options.caps?.warnAtPercent ?? config.cost.warn_at_percent,
    };
  }

  function priceOf(model: string): ResolvedPrice {
    const resolved = resolvePrice(model, config);
    if (resolved.warning && !warnedUnpriced.has(model)) {
      warnedUnpriced.add(model);
      emit({
        type: 'log',
        level: 'warn',
        message: resolved.warning,
        runId: runId ?? undefined,
        at: runtime.clock.now().toISOString(),
      });
    }
    return resolved;
  }

  async function complete(request: ModelRequest, opts: ModelCallOptions = {}): Promise<AiResponse> {
    const model = request.model ?? defaultModel;
    const { price } = priceOf(model);
    const ceiling = block.max_tokens ?? config.ai.max_tokens;
    const temperature = request.temperature ?? block.temperature ?? config.ai.temperature;
    const safe = redactor.redactRequest({
      ...request,
      model,
      maxTokens: Math.min(request.maxTokens ?? ceiling, ceiling),
      ...(temperature !== undefined ? { temperature } : {}),
    });
    const signal = opts.signal;
    const inputTokens = await provider.countTokens(safe, signal ? { signal } : {});

    return limiter.run(async () => {
      const guard = createBudgetGuard({ ledger, runId, caps: capsNow(), clock: runtime.clock, emit });
      const reservation = guard.reserve({ price, inputTokens, maxTokens: safe.maxTokens, model });
      if (reservation.shrunk)
        options.logger?.debug(
          `budget: max_tokens ${safe.maxTokens} → ${reservation.maxTokens} to stay under the caps`,
        );
      options.logger?.debug(
        `model → ${model}: ${JSON.stringify({ ...safe, maxTokens: reservation.maxTokens }).slice(0, 4000)}`,
      );

      let streamed = '';
      let started = false;
      const onEvent = (event: AiStreamEvent): void => {
        started = true;
        if (event.type === 'text') {
          streamed += event.text;
          opts.onText?.(event.text);
        }
        opts.onEvent?.(event);
      };
      const call = {
        provider: provider.id,
        model,
        stepId: options.stepId,
        taskId: options.taskId,
        workflow: options.workflow,
      };
      let response: AiResponse;
      try {
        response = await provider.stream(
          { ...safe, maxTokens: reservation.maxTokens },
          { ...(signal ? { signal } : {}), onEvent },
        );
      } catch (error) {
        if (started) {
          // Output was already generated (and billed) before the stream broke: book an estimate rather than nothing.
          const usage = {
            inputTokens,
            outputTokens: Math.min(estimateTokens(streamed), reservation.maxTokens),
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
          };
          guard.settle(reservation, { ...call, usage, costUsd: costOf(usage, price) });
        } else guard.release(reservation);
        throw error;
      }
      guard.settle(reservation, {
        ...call,
        model: response.model || model,
        usage: response.usage,
        costUsd: costOf(response.usage, price),
      });
      options.logger?.debug(
        `model ← ${model} (${response.stopReason}): ${redactor.redact(JSON.stringify(response.content)).slice(0, 4000)}`,
      );
      return response;
    }, signal);
  }

  return { model: defaultModel, complete };
}
