// The real @anthropic-ai/sdk against a loopback server speaking the Messages wire format.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicAi, type AiProviderOptions } from '../../providers/ai/anthropic/anthropic-ai.js';
import { anthropicConfigSchema } from '../../providers/ai/anthropic/config.js';
import type { AiRequest, AiStreamEvent } from '../../providers/types.js';
import { recordingLogger, testProviderContext } from '../helpers/ai-kit.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../helpers/fake-anthropic-server.js';

let server: FakeAnthropicServer;
beforeEach(async () => {
  server = await startFakeAnthropicServer();
});
afterEach(() => server.close());

function provider(
  settings: Record<string, unknown> = {},
  options: AiProviderOptions = {},
  env: Record<string, string> = {},
) {
  const logger = recordingLogger();
  const ctx = testProviderContext(anthropicConfigSchema.parse({ base_url: server.url, ...settings }), {
    path: 'ai.anthropic',
    env: { ANTHROPIC_API_KEY: 'sk-ant-test-key-0000000000', ...env },
    logger,
  });
  return { ai: new AnthropicAi(ctx, options), logger };
}

const tools = [
  {
    name: 'write_file',
    description: 'Write a file',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string' }, content: { type: 'string' } },
      required: ['path', 'content'],
    },
  },
];
const request: AiRequest = {
  system: 'You are a coding agent.',
  tools,
  maxTokens: 2048,
  messages: [{ role: 'user', content: 'Create hello.txt' }],
};

describe('AnthropicAi over the Messages API', () => {
  it('streams text deltas and assembles tool_use input from input_json_delta pieces', async () => {
    server.respond(() => ({
      content: [
        { type: 'text', text: 'I will write the file now, with a friendly greeting inside.' },
        {
          type: 'tool_use',
          id: 'toolu_01',
          name: 'write_file',
          input: { path: 'hello.txt', content: 'Hello, world! '.repeat(5) },
        },
      ],
    }));
    const { ai } = provider();
    const events: AiStreamEvent[] = [];
    const response = await ai.stream(request, { onEvent: (e) => events.push(e) });
    expect(response.stopReason).toBe('tool_use');
    expect(response.content).toEqual([
      { type: 'text', text: 'I will write the file now, with a friendly greeting inside.' },
      {
        type: 'tool_use',
        id: 'toolu_01',
        name: 'write_file',
        input: { path: 'hello.txt', content: 'Hello, world! '.repeat(5) },
      },
    ]);
    const texts = events.filter((e) => e.type === 'text');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.map((e) => (e.type === 'text' ? e.text : '')).join('')).toBe(
      'I will write the file now, with a friendly greeting inside.',
    );
    expect(events.at(-1)).toEqual({ type: 'tool_use', name: 'write_file', id: 'toolu_01' });
    const [sent] = server.messageRequests();
    expect(sent!.headers['authorization'] ?? sent!.headers['x-api-key']).toContain(
      'sk-ant-test-key-0000000000',
    );
    expect(sent!.json).toMatchObject({
      model: 'claude-sonnet-5-5',
      max_tokens: 2048,
      stream: true,
      tools: [{ name: 'write_file', input_schema: { required: ['path', 'content'] } }],
    });
  });

  it('reports usage with cache writes on the first turn and cache reads on the next', async () => {
    const { ai } = provider({ model: 'claude-haiku-4-5' });
    const first = await ai.complete(request);
    expect(first.model).toBe('claude-haiku-4-5');
    expect(first.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(first.usage.cacheReadTokens).toBe(0);
    const next = await ai.complete({
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'Now add a README.' },
      ],
    });
    expect(next.usage.cacheReadTokens).toBe(first.usage.cacheWriteTokens + first.usage.inputTokens);
    const wire = server.usages[1]!;
    expect(next.usage).toEqual({
      inputTokens: wire.input_tokens,
      outputTokens: wire.output_tokens,
      cacheReadTokens: wire.cache_read_input_tokens,
      cacheWriteTokens: wire.cache_creation_input_tokens,
    });
  });

  it('counts tokens with count_tokens, and estimates when the endpoint fails', async () => {
    const { ai, logger } = provider({ max_retries: 0 });
    const counted = await ai.countTokens(request);
    expect(counted).toBeGreaterThan(10);
    expect(server.requests.at(-1)!.path).toBe('/v1/messages/count_tokens');
    expect(server.requests.at(-1)!.json).not.toHaveProperty('max_tokens');
    server.failCountTokens(5);
    const estimated = await ai.countTokens(request);
    expect(estimated).toBeGreaterThan(10);
    expect(logger.lines.join('\n')).toMatch(/count_tokens failed .*estimating/);
  });

  it('retries a 429 after the retry-after the server asked for', async () => {
    server.failNext({
      status: 429,
      type: 'rate_limit_error',
      message: 'Number of request tokens has exceeded your per-minute rate limit',
      retryAfter: '0.05',
    });
    const { ai, logger } = provider();
    const response = await ai.complete(request);
    expect(response.content[0]).toEqual({ type: 'text', text: 'ok' });
    expect(server.messageRequests()).toHaveLength(2);
    expect(logger.lines).toContain('debug: anthropic: HTTP 429, retry-after 0.050s');
  });

  it('caps an unreasonable retry-after instead of waiting an hour', async () => {
    server.failNext({ status: 529, type: 'overloaded_error', message: 'Overloaded', retryAfter: '3600' });
    const { ai, logger } = provider({}, { maxRetryDelayMs: 20 });
    await expect(ai.complete(request)).resolves.toMatchObject({ stopReason: 'end_turn' });
    expect(logger.lines).toContain('debug: anthropic: HTTP 529, retry-after 3600.000s (capped to 0.020s)');
  });

  it('gives up after max_retries on 529 overloaded, with a retry-later hint', async () => {
    server.failNext(
      ...Array.from({ length: 3 }, () => ({
        status: 529,
        type: 'overloaded_error',
        message: 'Overloaded',
        retryAfter: '0.01',
      })),
    );
    const { ai } = provider({ max_retries: 2 });
    await expect(ai.complete(request)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: expect.stringContaining('overloaded (529: Overloaded), and retries ran out'),
      hint: expect.stringContaining('retry later'),
      details: { provider: 'anthropic', status: 529, requestId: expect.stringMatching(/^req_fake_/) },
    });
    expect(server.messageRequests()).toHaveLength(3);
  });

  it('maps 401 and 404 to hints about the key and the model, without the key in the message', async () => {
    server.failNext({ status: 401, type: 'authentication_error', message: 'invalid x-api-key' });
    const { ai } = provider();
    const error = await ai.complete(request).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PROVIDER_ERROR',
      hint: expect.stringContaining('ANTHROPIC_API_KEY'),
    });
    expect(
      JSON.stringify({ m: (error as Error).message, h: (error as { hint: string }).hint }),
    ).not.toContain('sk-ant-test-key');
    server.failNext({ status: 404, type: 'not_found_error', message: 'model: claude-nope' });
    await expect(ai.complete({ ...request, model: 'claude-nope' })).rejects.toMatchObject({
      hint: expect.stringContaining('ai.model'),
    });
  });

  it('needs the key from the environment, and reads the base URL from ANTHROPIC_BASE_URL', () => {
    const ctx = testProviderContext(anthropicConfigSchema.parse({}), { path: 'ai.anthropic', env: {} });
    expect(() => new AnthropicAi(ctx)).toThrow(
      expect.objectContaining({ code: 'ENV_MISSING', message: expect.stringContaining('ANTHROPIC_API_KEY') }),
    );
    const fromEnv = new AnthropicAi(
      testProviderContext(anthropicConfigSchema.parse({}), {
        path: 'ai.anthropic',
        env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url },
      }),
    );
    expect(fromEnv.baseURL).toBe(server.url);
  });

  it('retries unforced once when a model refuses a forced tool choice', async () => {
    server.failNext({
      status: 400,
      type: 'invalid_request_error',
      message: 'tool_choice: forcing a tool is not supported by this model',
    });
    const { ai, logger } = provider();
    await expect(
      ai.complete({ ...request, toolChoice: { type: 'tool', name: 'write_file' } }),
    ).resolves.toMatchObject({ stopReason: 'end_turn' });
    const sent = server.messageRequests().map((r) => (r.json as { tool_choice?: unknown }).tool_choice);
    expect(sent).toEqual([{ type: 'tool', name: 'write_file' }, { type: 'auto' }]);
    expect(logger.lines.join('\n')).toContain('refused a forced tool choice');
  });

  it('stops when the signal aborts', async () => {
    const { ai } = provider();
    const controller = new AbortController();
    controller.abort();
    await expect(ai.complete(request, { signal: controller.signal })).rejects.toMatchObject({
      code: 'INTERRUPTED',
    });
  });

  it('turns a server rejection into a clear error (the fake validates like the API)', async () => {
    const { ai } = provider();
    const bad: AiRequest = {
      ...request,
      messages: [{ role: 'user', content: [{ type: 'tool_result', toolUseId: 'nope', content: 'x' }] }],
    };
    await expect(ai.complete(bad)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: expect.stringContaining('the request was refused (400'),
    });
  });
});
