// Shipped model prices, USD per million tokens, from the vendors' published pricing pages
// (platform.claude.com/docs/en/about-claude/pricing and the model pages, openai.com/api/pricing), checked 2026-11.
// Where a source was unclear the higher price is kept: an overestimate only makes a cap stricter.
// Keys are base model ids; dated ids (claude-sonnet-4-5-20250929, gpt-4.1-2025-04-14) resolve to them in pricing.ts.
// `cacheWrite` is Anthropic's 5-minute cache write; OpenAI has no write surcharge, so it equals `input` there.
import type { ModelPrice } from '../../../providers/types.js';

function anthropic(input: number, output: number, cacheWrite: number, cacheRead: number): ModelPrice {
  return { input, output, cacheWrite, cacheRead };
}

function openai(input: number, cachedInput: number, output: number): ModelPrice {
  return { input, output, cacheWrite: input, cacheRead: cachedInput };
}

const OPUS_4 = anthropic(15, 75, 18.75, 1.5);
const OPUS_45 = anthropic(5, 25, 6.25, 0.5);
const SONNET = anthropic(3, 15, 3.75, 0.3);
const SONNET_5 = anthropic(2, 10, 2.5, 0.2);
const FABLE_5 = anthropic(10, 50, 12.5, 1);

export const SHIPPED_PRICES: Readonly<Record<string, ModelPrice>> = {
  // Anthropic: current generation. Haiku 5.5 is left out on purpose: its price depends on the prompt length (two
  // bands around 100k tokens), which one flat price cannot express; add it under ai.pricing at the band you use.
  'claude-fable-5-1': anthropic(10, 50, 12.5, 0.25),
  'claude-fable-5': FABLE_5,
  'claude-opus-5-5': anthropic(4, 20, 5, 0.4),
  'claude-opus-5': OPUS_45,
  'claude-sonnet-5-5': SONNET_5,
  'claude-sonnet-5': SONNET_5,
  'claude-opus-4-8': OPUS_45,
  'claude-opus-4-7': OPUS_45,
  'claude-opus-4-6': OPUS_45,
  'claude-opus-4-5': OPUS_45,
  'claude-opus-4-1': OPUS_4,
  'claude-opus-4-0': OPUS_4,
  'claude-opus-4': OPUS_4,
  'claude-sonnet-4-6': SONNET,
  'claude-sonnet-4-5': SONNET,
  'claude-sonnet-4-0': SONNET,
  'claude-sonnet-4': SONNET,
  'claude-haiku-4-5': anthropic(1, 5, 1.25, 0.1),
  // Anthropic: 3.x (old naming: family after the version)
  'claude-3-7-sonnet': SONNET,
  'claude-3-5-sonnet': SONNET,
  'claude-3-5-haiku': anthropic(0.8, 4, 1, 0.08),
  'claude-3-opus': OPUS_4,
  'claude-3-haiku': anthropic(0.25, 1.25, 0.3, 0.03),

  // OpenAI
  'gpt-5.4': openai(2.5, 0.25, 15),
  'gpt-5.4-mini': openai(0.75, 0.075, 4.5),
  'gpt-5.1': openai(1.25, 0.125, 10),
  'gpt-5': openai(1.25, 0.125, 10),
  'gpt-5-mini': openai(0.25, 0.025, 2),
  'gpt-5-nano': openai(0.05, 0.005, 0.4),
  'gpt-4.1': openai(2, 0.5, 8),
  'gpt-4.1-mini': openai(0.4, 0.1, 1.6),
  'gpt-4.1-nano': openai(0.1, 0.025, 0.4),
  'gpt-4o': openai(2.5, 1.25, 10),
  'gpt-4o-mini': openai(0.15, 0.075, 0.6),
  o3: openai(2, 0.5, 8),
  'o3-mini': openai(1.1, 0.55, 4.4),
  'o4-mini': openai(1.1, 0.275, 4.4),

  // The scripted model is priced like a Sonnet, so `aidev demo` and tests exercise the budget caps for real.
  'fake-model': SONNET,
};
