import { describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/helpers/ai-kit.js';
import { AidevError } from '../errors.js';
import { costOf, matchModel, normalizeModelId, resolvePrice } from './pricing.js';
import { SHIPPED_PRICES } from './prices.js';

describe('normalizeModelId', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['claude-opus-4-1@20250805', 'claude-opus-4-1'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['openai/GPT-4o', 'gpt-4o'],
  ])('%s → %s', (id, expected) => expect(normalizeModelId(id)).toBe(expected));
});

describe('resolvePrice', () => {
  const config = testConfig();

  it('prices dated Anthropic and OpenAI ids as their base model', () => {
    expect(resolvePrice('claude-sonnet-4-5-20250929', config)).toMatchObject({
      key: 'claude-sonnet-4-5',
      source: 'shipped',
      price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
    });
    expect(resolvePrice('claude-haiku-4-5-20251001', config).price).toEqual({
      input: 1,
      output: 5,
      cacheWrite: 1.25,
      cacheRead: 0.1,
    });
    expect(resolvePrice('gpt-4o-mini-2024-07-18', config)).toMatchObject({
      key: 'gpt-4o-mini',
      price: { input: 0.15, output: 0.6 },
    });
    expect(resolvePrice('gpt-4o-2024-08-06', config)).toMatchObject({
      key: 'gpt-4o',
      price: { input: 2.5, cacheRead: 1.25 },
    });
  });

  it('never takes a looser prefix: o3-pro is not o3, an unknown sonnet is not Sonnet 4', () => {
    expect(() => resolvePrice('o3-pro', config)).toThrow(AidevError);
    expect(() => resolvePrice('claude-sonnet-4-7', config)).toThrow(
      /no price is known for the model "claude-sonnet-4-7"/,
    );
  });

  it('takes a snapshot number after a known id', () => {
    expect(matchModel({ 'gpt-4': 1, 'gpt-4-turbo': 2 }, 'gpt-4-0613')).toEqual({ key: 'gpt-4', value: 1 });
  });

  it('lets config override and add models, with cache prices defaulting from input', () => {
    const custom = testConfig({
      ai: {
        pricing: {
          'claude-sonnet-4-5': { input: 1, output: 2 },
          'qwen2.5-coder': { input: 0, output: 0, cache_read: 0 },
        },
      },
    });
    expect(resolvePrice('claude-sonnet-4-5-20250929', custom)).toMatchObject({
      source: 'config',
      price: { input: 1, output: 2, cacheWrite: 1.25, cacheRead: 0.1 },
    });
    expect(resolvePrice('qwen2.5-coder', custom)).toMatchObject({
      source: 'config',
      price: { input: 0, output: 0 },
    });
  });

  it('refuses an unknown model with a hint, unless allow_unpriced (then $0 and a warning)', () => {
    try {
      resolvePrice('mystery-model', config);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'PRICE_UNKNOWN', exitCode: 2 });
      expect((error as AidevError).hint).toContain('ai.pricing');
      expect((error as AidevError).hint).toContain('cost.allow_unpriced');
    }
    const loose = testConfig({ cost: { allow_unpriced: true } });
    const resolved = resolvePrice('mystery-model', loose);
    expect(resolved).toMatchObject({
      source: 'unpriced',
      price: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
    });
    expect(resolved.warning).toContain('mystery-model');
  });

  it('prices the fake model like a Sonnet so demos exercise the caps', () => {
    expect(resolvePrice('fake-model', config).price.output).toBeGreaterThan(0);
  });

  it('has every shipped price positive and cache reads cheaper than input', () => {
    for (const [model, price] of Object.entries(SHIPPED_PRICES)) {
      expect(price.input, model).toBeGreaterThan(0);
      expect(price.output, model).toBeGreaterThanOrEqual(price.input);
      expect(price.cacheRead, model).toBeLessThan(price.input);
      expect(price.cacheWrite, model).toBeGreaterThanOrEqual(price.input);
    }
  });
});

describe('costOf', () => {
  it('bills each kind of token at its own rate', () => {
    const price = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };
    expect(
      costOf({ inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, price),
    ).toBeCloseTo(3);
    expect(
      costOf({ inputTokens: 100, outputTokens: 200, cacheReadTokens: 10_000, cacheWriteTokens: 1000 }, price),
    ).toBeCloseTo((100 * 3 + 200 * 15 + 10_000 * 0.3 + 1000 * 3.75) / 1e6);
  });
});
