// Model prices: config `ai.pricing` beats the shipped table; dated and platform-prefixed ids resolve to their base model.
// A model with no price is refused (PRICE_UNKNOWN) unless `cost.allow_unpriced`, because an unpriced call would make
// the budget caps meaningless.
import type { AiUsage, ModelPrice } from '../../../providers/types.js';
import type { Config } from '../config/schema.js';
import { AidevError } from '../errors.js';
import { SHIPPED_PRICES } from './prices.js';

export interface PricingConfig {
  ai: Pick<Config['ai'], 'pricing'>;
  cost: Pick<Config['cost'], 'allow_unpriced'>;
}

export interface ResolvedPrice {
  model: string;
  price: ModelPrice;
  source: 'config' | 'shipped' | 'unpriced';
  /** The table key that matched, e.g. `claude-sonnet-4-5` for `claude-sonnet-4-5-20250929`. */
  key: string | null;
  /** Set when the model is unpriced and counted as $0. */
  warning?: string | undefined;
}

const ZERO: ModelPrice = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };

/** Strips what varies between the same model's ids: dates, platform prefixes and version tags. */
export function normalizeModelId(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^(?:[a-z]{2,4}\.)?anthropic\./, '') // Bedrock: us.anthropic.claude-…
    .replace(/^(?:anthropic|openai)\//, '') // routers: openai/gpt-4o
    .replace(/-v\d+(?::\d+)?$/, '') // Bedrock: …-v1:0
    .replace(/@\d{8}$/, '') // Vertex: …@20250929
    .replace(/-\d{4}-\d{2}-\d{2}$/, '') // OpenAI snapshots: …-2025-04-14
    .replace(/-\d{8}$/, '') // Anthropic snapshots: …-20250929
    .replace(/-latest$/, '');
}

/**
 * Exact match first, then the longest key the id extends by a snapshot number (gpt-4-0613). Never a looser prefix:
 * `o3-pro` must not be priced as `o3`, and an unknown `claude-sonnet-4-7` must not pass as `claude-sonnet-4`.
 */
export function matchModel<T>(
  table: Readonly<Record<string, T>>,
  model: string,
): { key: string; value: T } | null {
  const id = normalizeModelId(model);
  let exact: { key: string; value: T } | null = null;
  let prefix: { key: string; value: T; length: number } | null = null;
  for (const [key, value] of Object.entries(table)) {
    if (key === model) return { key, value };
    const norm = normalizeModelId(key);
    if (norm === id) exact ??= { key, value };
    else if (
      id.startsWith(norm) &&
      /^-\d{4,}$/.test(id.slice(norm.length)) &&
      norm.length > (prefix?.length ?? 0)
    )
      prefix = { key, value, length: norm.length };
  }
  return exact ?? (prefix && { key: prefix.key, value: prefix.value });
}

function fromConfig(entry: Config['ai']['pricing'][string]): ModelPrice {
  return {
    input: entry.input,
    output: entry.output,
    cacheWrite: entry.cache_write ?? entry.input * 1.25,
    cacheRead: entry.cache_read ?? entry.input * 0.1,
  };
}

export function resolvePrice(model: string, config: PricingConfig): ResolvedPrice {
  const configured = matchModel(config.ai.pricing, model);
  if (configured)
    return { model, price: fromConfig(configured.value), source: 'config', key: configured.key };
  const shipped = matchModel(SHIPPED_PRICES, model);
  if (shipped) return { model, price: shipped.value, source: 'shipped', key: shipped.key };
  if (config.cost.allow_unpriced) {
    return {
      model,
      price: ZERO,
      source: 'unpriced',
      key: null,
      warning: `model "${model}" has no known price: its calls are counted as $0, so only the token cap limits them`,
    };
  }
  throw new AidevError('PRICE_UNKNOWN', `no price is known for the model "${model}"`, {
    hint:
      `add it to .aidevrc.yaml as ai.pricing: {"${model}": {input: <USD per million tokens>, output: <USD per million>}}, ` +
      'or set cost.allow_unpriced: true to count it as $0 (local models)',
    details: { model },
  });
}

/**
 * USD of one call. `inputTokens` is the uncached input only (Anthropic's `input_tokens`; OpenAI's prompt_tokens minus
 * cached_tokens); cache reads and writes are billed at their own rates.
 */
export function costOf(usage: AiUsage, price: ModelPrice): number {
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheWriteTokens * price.cacheWrite +
      usage.cacheReadTokens * price.cacheRead) /
    1_000_000
  );
}

/** Every known price, config first (for `aidev doctor` and docs). */
export function listPrices(
  config: Pick<PricingConfig, 'ai'>,
): { model: string; price: ModelPrice; source: 'config' | 'shipped' }[] {
  return [
    ...Object.entries(config.ai.pricing).map(([model, entry]) => ({
      model,
      price: fromConfig(entry),
      source: 'config' as const,
    })),
    ...Object.entries(SHIPPED_PRICES).map(([model, price]) => ({ model, price, source: 'shipped' as const })),
  ];
}
