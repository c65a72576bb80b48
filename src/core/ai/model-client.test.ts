import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeAi } from '../../../providers/ai/fake/fake-ai.js';
import type { AiProvider, AiRequest } from '../../../providers/types.js';
import {
  eventRecorder,
  recordingLogger,
  settableClock,
  tempLedger,
  testConfig,
  type TempLedger,
} from '../../../test/helpers/ai-kit.js';
import type { ConfigInput } from '../config/schema.js';
import { createRuntime } from '../runtime.js';
import { createModelClient, type ModelClientOptions } from './model-client.js';
import { createRateLimiter } from './rate-limit.js';
import { createRedactor } from './redact.js';

const CANARY = 'canary-5b1d0c2e-never-sent';
let t: TempLedger;
beforeEach(() => {
  t = tempLedger();
  t.ledger.createRun({
    id: 'r-1',
    workflow: 'standard_dev',
    startedAt: '2026-03-15T12:00:00.000Z',
    taskId: 'T-1',
  });
});
afterEach(() => t.cleanup());

function client(
  provider: AiProvider,
  config: ConfigInput | Record<string, unknown> = {},
  extra: Partial<ModelClientOptions> = {},
) {
  const env = { DEPLOY_TOKEN: CANARY };
  const recorder = eventRecorder();
  const logger = recordingLogger();
  const model = createModelClient({
    provider,
    ledger: t.ledger,
    runId: 'r-1',
    stepId: 'code',
    taskId: 'T-1',
    workflow: 'standard_dev',
    config: testConfig(config),
    runtime: createRuntime({ env, cwd: t.dir, clock: settableClock() }),
    emit: recorder.emit,
    redactor: createRedactor({ env }),
    limiter: createRateLimiter({ concurrency: 2, requestsPerMinute: 1000 }),
    logger,
    ...extra,
  });
  return { model, recorder, logger };
}

const ask = (text: string): Omit<AiRequest, 'maxTokens'> => ({
  system: 'Be brief.',
  messages: [{ role: 'user', content: text }],
});
const reserved = () =>
  t.ledger.withBudgetLock((tx) => tx.runSpend('r-1').costUsd) - t.ledger.getRun('r-1')!.costUsd;

describe('createModelClient', () => {
  it('redacts, calls, books the call and reports usage', async () => {
    const fake = createFakeAi([{ text: `here is ${CANARY}` }]);
    const { model, recorder, logger } = client(fake, {
      ai: { provider: 'fake', max_tokens: 4000 },
      cost: { max_cost_per_task: 5 },
    });
    const streamed: string[] = [];
    const response = await model.complete(ask(`use ${CANARY} to deploy`), {
      onText: (text) => streamed.push(text),
    });
    expect(JSON.stringify(fake.requests)).not.toContain(CANARY);
    expect(fake.requests[0]!.messages[0]!.content).toBe('use [REDACTED:DEPLOY_TOKEN] to deploy');
    expect(fake.requests[0]!.maxTokens).toBe(4000);
    expect(streamed.join('')).toContain('here is');
    expect(logger.lines.join('\n')).not.toContain(CANARY);
    const [call] = t.ledger.listModelCalls('r-1');
    expect(call).toMatchObject({
      provider: 'fake',
      model: 'fake-model',
      stepId: 'code',
      taskId: 'T-1',
      workflow: 'standard_dev',
      outputTokens: response.usage.outputTokens,
    });
    expect(call!.costUsd).toBeGreaterThan(0);
    expect(t.ledger.getRun('r-1')!.costUsd).toBeCloseTo(call!.costUsd);
    expect(recorder.ofType('model.usage')).toHaveLength(1);
    expect(reserved()).toBe(0);
  });

  it('shrinks max_tokens to the cap, then stops with BUDGET_EXCEEDED and holds nothing back', async () => {
    const fake = createFakeAi(
      Array.from({ length: 50 }, () => ({
        tool: 'read_file',
        input: { path: 'x' },
        usage: { output_tokens: 100_000 },
      })),
    );
    const { model } = client(fake, { ai: { provider: 'fake' }, cost: { max_cost_per_task: 0.05 } });
    let error: unknown;
    for (let i = 0; i < 50 && !error; i++)
      await model.complete(ask('more')).catch((e: unknown) => (error = e));
    expect(error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      exitCode: 3,
      hint: expect.stringContaining('aidev resume r-1 --max-cost'),
    });
    expect(fake.requests[0]!.maxTokens).toBeLessThan(8192);
    expect(t.ledger.getRun('r-1')!.costUsd).toBeLessThanOrEqual(0.05);
    expect(reserved()).toBe(0);
  });

  it('takes a raised cap from the run row (resume --max-cost)', async () => {
    const fake = createFakeAi([{ text: 'ok', usage: { output_tokens: 3000 } }]);
    t.ledger.updateRun('r-1', { maxCostUsd: 0.001 });
    const { model } = client(fake, { ai: { provider: 'fake' }, cost: { max_cost_per_task: 5 } });
    await expect(model.complete(ask('hi'))).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    t.ledger.updateRun('r-1', { maxCostUsd: 1 });
    await expect(model.complete(ask('hi'))).resolves.toMatchObject({ stopReason: 'end_turn' });
  });

  it('releases the reservation when the provider fails before answering', async () => {
    const failing: AiProvider = {
      id: 'fake',
      model: 'fake-model',
      maxTokens: 1000,
      countTokens: () => Promise.resolve(10),
      complete: () => Promise.reject(new Error('down')),
      stream: () => Promise.reject(new Error('down')),
    };
    const { model } = client(failing, { ai: { provider: 'fake' } });
    await expect(model.complete(ask('hi'))).rejects.toThrow('down');
    expect(reserved()).toBe(0);
    expect(t.ledger.listModelCalls('r-1')).toHaveLength(0);
  });

  it('books an estimate when the stream breaks after output started', async () => {
    const breaking: AiProvider = {
      id: 'fake',
      model: 'fake-model',
      maxTokens: 1000,
      countTokens: () => Promise.resolve(100),
      complete: () => Promise.reject(new Error('unused')),
      stream: (_req, opts) => {
        opts.onEvent({ type: 'text', text: 'x'.repeat(400) });
        return Promise.reject(new Error('connection reset'));
      },
    };
    const { model } = client(breaking, { ai: { provider: 'fake' } });
    await expect(model.complete(ask('hi'))).rejects.toThrow('connection reset');
    expect(t.ledger.listModelCalls('r-1')).toEqual([
      expect.objectContaining({ inputTokens: 100, outputTokens: 100 }),
    ]);
    expect(reserved()).toBe(0);
  });

  it('refuses an unpriced model before calling it, or warns once when allowed', async () => {
    const fake = createFakeAi([{ text: 'a' }, { text: 'b' }], { model: 'my-local-model' });
    await expect(client(fake, { ai: { provider: 'fake' } }).model.complete(ask('hi'))).rejects.toMatchObject({
      code: 'PRICE_UNKNOWN',
    });
    expect(fake.requests).toHaveLength(0);
    const { model, recorder } = client(fake, { ai: { provider: 'fake' }, cost: { allow_unpriced: true } });
    await model.complete(ask('hi'));
    await model.complete(ask('again'));
    expect(recorder.ofType('log').filter((e) => e.level === 'warn')).toHaveLength(1);
    expect(t.ledger.getRun('r-1')!.costUsd).toBe(0);
  });

  it('picks the model: request, then the provider block, then ai.model, then the provider default', async () => {
    const fake = createFakeAi(Array.from({ length: 4 }, () => ({ text: 'x' })));
    expect(client(fake, { ai: { provider: 'fake' } }).model.model).toBe('fake-model');
    expect(client(fake, { ai: { provider: 'fake', model: 'claude-haiku-4-5' } }).model.model).toBe(
      'claude-haiku-4-5',
    );
    const both = client(fake, {
      ai: { provider: 'fake', model: 'claude-haiku-4-5', fake: { model: 'gpt-4.1' } },
    }).model;
    expect(both.model).toBe('gpt-4.1');
    await both.complete({ ...ask('x'), model: 'gpt-4o' });
    expect(fake.requests.at(-1)!.model).toBe('gpt-4o');
  });
});
