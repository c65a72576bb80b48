// Prompt caching end to end: a 10-turn agent through the model client and the real Anthropic SDK. The request prefix
// (system, tools, earlier turns) must stay byte-identical, and the breakpoints must make the server read it back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicAi } from '../../providers/ai/anthropic/anthropic-ai.js';
import { anthropicConfigSchema } from '../../providers/ai/anthropic/config.js';
import { createModelClient } from '../../src/core/ai/model-client.js';
import { renderPrompt } from '../../src/core/ai/prompts.js';
import { createRateLimiter } from '../../src/core/ai/rate-limit.js';
import { createRedactor } from '../../src/core/ai/redact.js';
import { createRuntime } from '../../src/core/runtime.js';
import {
  eventRecorder,
  settableClock,
  tempLedger,
  testConfig,
  testProviderContext,
  type TempLedger,
} from '../helpers/ai-kit.js';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type MessagesBody,
} from '../helpers/fake-anthropic-server.js';
import { AGENT_TOOLS, runToyAgent } from '../helpers/toy-agent.js';

let server: FakeAnthropicServer;
let t: TempLedger;
beforeEach(async () => {
  t = tempLedger();
  server = await startFakeAnthropicServer({
    responder: (_body, i) => ({
      content: [
        { type: 'text', text: `Turn ${i + 1}: reading the next file.` },
        { type: 'tool_use', name: 'read_file', input: { path: `src/module-${i + 1}.ts` } },
      ],
    }),
  });
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

describe('prompt caching across agent turns', () => {
  it('keeps each request a byte-identical prefix of the next, and turns it into cache reads', async () => {
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-0000000000000000' };
    const ai = new AnthropicAi(
      testProviderContext(anthropicConfigSchema.parse({ base_url: server.url }), {
        path: 'ai.anthropic',
        env,
      }),
    );
    t.ledger.createRun({ id: 'r-cache', workflow: 'standard_dev', startedAt: '2026-03-15T12:00:00.000Z' });
    const model = createModelClient({
      provider: ai,
      ledger: t.ledger,
      runId: 'r-cache',
      stepId: 'code',
      taskId: 'T-1',
      workflow: 'standard_dev',
      config: testConfig({ cost: { max_cost_per_task: 5, max_tokens_per_task: 5_000_000 } }),
      runtime: createRuntime({ env, cwd: t.dir, clock: settableClock() }),
      emit: eventRecorder().emit,
      redactor: createRedactor({ env }),
      limiter: createRateLimiter({ concurrency: 1, requestsPerMinute: 1000 }),
    });
    const prompt = renderPrompt(
      'code_generation',
      {
        task: {
          id: 'T-1',
          title: 'Add a --dry-run flag',
          description: 'The sync command needs one.',
          labels: [],
        },
        worktree: '/tmp/wt',
        tools: AGENT_TOOLS,
        checks: ['npm test'],
        blocked_paths: ['.env'],
        max_turns: 40,
        plan: null,
        feedback: null,
      },
      t.dir,
    );
    await runToyAgent({
      complete: (req) => model.complete(req),
      system: prompt.system,
      task: prompt.user,
      turns: 10,
    });

    const bodies = server.messageRequests().map((r) => r.body);
    expect(bodies).toHaveLength(10);
    for (let turn = 1; turn < bodies.length; turn++) {
      const previous = bodies[turn - 1]!;
      const shared = commonPrefix(previous, bodies[turn]!);
      // Everything up to the moving breakpoint on the last block is reused verbatim.
      expect(shared / previous.length, `turn ${turn + 1}`).toBeGreaterThan(0.9);
      expect(previous.slice(shared)).toMatch(
        /^,"cache_control":\{"type":"ephemeral"\}\}\]\}\],"max_tokens":\d+,"stream":true\}$/,
      );
    }
    for (const body of server.messageRequests().map((r) => r.json as MessagesBody)) {
      const marks = (JSON.stringify(body).match(/cache_control/g) ?? []).length;
      expect(marks).toBe(3);
      expect((body.system as { cache_control?: unknown }[])[0]!.cache_control).toEqual({ type: 'ephemeral' });
      expect(body.tools!.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
      const last = body.messages.at(-1)!.content as { cache_control?: unknown }[];
      expect(last.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    }
    for (const [i, usage] of server.usages.entries()) {
      const input = usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
      if (i === 0) expect(usage.cache_read_input_tokens).toBe(0);
      else expect(usage.cache_read_input_tokens / input, `turn ${i + 1}`).toBeGreaterThan(0.5);
    }
    const calls = t.ledger.listModelCalls('r-cache');
    expect(calls.slice(1).every((c) => c.cacheReadTokens > 0)).toBe(true);
  });
});
