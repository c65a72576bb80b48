// A secret placed in the environment and in a repository file never reaches a model request body, through either
// SDK, in messages, tool results, the system prompt or count_tokens calls, nor the verbose logs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicAi } from '../../providers/ai/anthropic/anthropic-ai.js';
import { anthropicConfigSchema } from '../../providers/ai/anthropic/config.js';
import { openaiConfigSchema } from '../../providers/ai/openai/config.js';
import { OpenaiAi } from '../../providers/ai/openai/openai-ai.js';
import type { AiProvider } from '../../providers/types.js';
import { createModelClient } from '../../src/core/ai/model-client.js';
import { createRateLimiter } from '../../src/core/ai/rate-limit.js';
import { createRedactor } from '../../src/core/ai/redact.js';
import { createRuntime } from '../../src/core/runtime.js';
import {
  eventRecorder,
  recordingLogger,
  settableClock,
  tempLedger,
  testConfig,
  testProviderContext,
  type TempLedger,
} from '../helpers/ai-kit.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import { startFakeOpenaiServer, type FakeOpenaiServer } from '../helpers/fake-openai-server.js';
import { runToyAgent } from '../helpers/toy-agent.js';

const ENV_CANARY = 'canary-env-9d2f61b7e4a0';
const FILE_CANARY = 'sk-ant-api03-CanaryFromARepoFile0123456789abcdef';
const CUSTOM_CANARY = 'acme_live_4242424242';
const env = { ANTHROPIC_API_KEY: 'sk-ant-test-key-000000000000', PAYMENTS_SECRET: ENV_CANARY };

let t: TempLedger;
let anthropic: FakeAnthropicServer;
let openai: FakeOpenaiServer;
beforeEach(async () => {
  t = tempLedger();
  mkdirSync(join(t.dir, 'repo'));
  writeFileSync(
    join(t.dir, 'repo', 'config.ts'),
    `export const key = '${FILE_CANARY}';\nexport const payments = '${ENV_CANARY}';\nexport const acme = '${CUSTOM_CANARY}';\n`,
  );
  anthropic = await startFakeAnthropicServer({
    responder: (_b, i) =>
      i < 2
        ? { content: [{ type: 'tool_use', name: 'read_file', input: { path: 'config.ts' } }] }
        : { content: [{ type: 'text', text: 'done' }] },
  });
  openai = await startFakeOpenaiServer({
    responder: (_b, i) =>
      i < 2 ? { tool_calls: [{ name: 'read_file', arguments: '{"path":"config.ts"}' }] } : { text: 'done' },
  });
});
afterEach(async () => {
  await anthropic.close();
  await openai.close();
  t.cleanup();
});

async function agentThrough(provider: AiProvider, runId: string) {
  t.ledger.createRun({ id: runId, workflow: 'standard_dev', startedAt: '2026-03-15T12:00:00.000Z' });
  const config = testConfig({
    ai: { pricing: { 'qwen2.5-coder': { input: 0.1, output: 0.1 } } },
    security: { redact_patterns: ['acme_live_[0-9]+'] },
  });
  const logger = recordingLogger();
  const model = createModelClient({
    provider,
    ledger: t.ledger,
    runId,
    stepId: 'code',
    taskId: 'T-1',
    workflow: 'standard_dev',
    config,
    runtime: createRuntime({ env, cwd: t.dir, clock: settableClock() }),
    emit: eventRecorder().emit,
    redactor: createRedactor({ env, patterns: config.security.redact_patterns }),
    limiter: createRateLimiter({ concurrency: 1, requestsPerMinute: 1000 }),
    logger,
  });
  await runToyAgent({
    complete: (req) => model.complete(req),
    system: `You may use the payments service (token ${ENV_CANARY}).`,
    task: `Rotate the key ${FILE_CANARY} in config.ts`,
    turns: 5,
    toolResult: () => readFileSync(join(t.dir, 'repo', 'config.ts'), 'utf8'),
  });
  return logger.lines.join('\n');
}

function expectClean(bodies: string[], logs: string): void {
  expect(bodies.length).toBeGreaterThan(2);
  for (const text of [...bodies, logs]) {
    expect(text).not.toContain(ENV_CANARY);
    expect(text).not.toContain(FILE_CANARY);
    expect(text).not.toContain(CUSTOM_CANARY);
  }
  expect(bodies.some((b) => b.includes('[REDACTED:PAYMENTS_SECRET]'))).toBe(true);
  expect(logs).toContain('model →');
}

describe('redaction of model traffic', () => {
  it('keeps the canaries out of every Anthropic request and the verbose log', async () => {
    const ai = new AnthropicAi(
      testProviderContext(anthropicConfigSchema.parse({ base_url: anthropic.url }), {
        path: 'ai.anthropic',
        env,
      }),
    );
    const logs = await agentThrough(ai, 'r-anthropic');
    expect(anthropic.requests.some((r) => r.path === '/v1/messages/count_tokens')).toBe(true);
    expectClean(
      anthropic.requests.map((r) => r.body),
      logs,
    );
  });

  it('keeps the canaries out of every Chat Completions request and the verbose log', async () => {
    const ai = new OpenaiAi(
      testProviderContext(
        openaiConfigSchema.parse({ base_url: `${openai.url}/v1`, model: 'qwen2.5-coder' }),
        { path: 'ai.openai', env },
      ),
    );
    const logs = await agentThrough(ai, 'r-openai');
    expectClean(
      openai.requests.map((r) => r.body),
      logs,
    );
  });
});
