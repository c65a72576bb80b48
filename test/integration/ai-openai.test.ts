// The real `openai` SDK against a loopback server speaking streamed Chat Completions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openaiConfigSchema } from '../../providers/ai/openai/config.js';
import { OpenaiAi } from '../../providers/ai/openai/openai-ai.js';
import type { AiRequest, AiStreamEvent } from '../../providers/types.js';
import { estimateRequestTokens } from '../../src/core/ai/tokens.js';
import { recordingLogger, testProviderContext } from '../helpers/ai-kit.js';
import {
  startFakeOpenaiServer,
  type ChatBody,
  type FakeOpenaiServer,
} from '../helpers/fake-openai-server.js';

let server: FakeOpenaiServer;
beforeEach(async () => {
  server = await startFakeOpenaiServer();
});
afterEach(() => server.close());

function provider(settings: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const logger = recordingLogger();
  const ctx = testProviderContext(
    openaiConfigSchema.parse({ base_url: `${server.url}/v1`, model: 'qwen2.5-coder', ...settings }),
    { path: 'ai.openai', env, logger },
  );
  return { ai: new OpenaiAi(ctx, { maxRetryDelayMs: 50 }), logger };
}

const tools = [
  {
    name: 'write_file',
    description: 'Write a file',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
  },
];
const request: AiRequest = {
  system: 'You are a coding agent.',
  tools,
  maxTokens: 512,
  messages: [{ role: 'user', content: 'Create hello.txt' }],
};

describe('OpenaiAi over Chat Completions', () => {
  it('streams content and assembles tool_calls from argument deltas; no key needed for a local server', async () => {
    server.respond(() => ({
      text: 'Writing the file for you now.',
      tool_calls: [
        {
          id: 'call_1',
          name: 'write_file',
          arguments: JSON.stringify({ path: 'hello.txt', content: 'Hello there, world' }),
        },
      ],
    }));
    const { ai } = provider();
    const events: AiStreamEvent[] = [];
    const response = await ai.stream(request, { onEvent: (e) => events.push(e) });
    expect(response).toMatchObject({
      model: 'qwen2.5-coder',
      stopReason: 'tool_use',
      content: [
        { type: 'text', text: 'Writing the file for you now.' },
        {
          type: 'tool_use',
          id: 'call_1',
          name: 'write_file',
          input: { path: 'hello.txt', content: 'Hello there, world' },
        },
      ],
    });
    expect(events.filter((e) => e.type === 'text').length).toBeGreaterThan(1);
    const [sent] = server.chatRequests();
    const body = sent!.json as ChatBody;
    expect(body).toMatchObject({
      model: 'qwen2.5-coder',
      max_tokens: 512,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You are a coding agent.' });
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'write_file', description: 'Write a file', parameters: tools[0]!.inputSchema },
      },
    ]);
    expect(sent!.headers.authorization).toBe('Bearer no-key-needed');
  });

  it('maps usage: cached prompt tokens become cache reads, not input', async () => {
    const { ai } = provider();
    const long: AiRequest = { ...request, system: 'You are a careful agent. '.repeat(400) };
    const first = await ai.complete(long);
    expect(first.usage.cacheReadTokens).toBe(0);
    const second = await ai.complete({
      ...long,
      messages: [
        ...long.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'and a README' },
      ],
    });
    expect(second.usage.cacheReadTokens).toBeGreaterThanOrEqual(1024);
    expect(second.usage.inputTokens + second.usage.cacheReadTokens).toBeGreaterThan(
      second.usage.cacheReadTokens,
    );
  });

  it('sends tool results as tool messages right after the assistant tool_calls', async () => {
    const { ai } = provider();
    await ai.complete({
      ...request,
      messages: [
        { role: 'user', content: 'task' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_9', name: 'write_file', input: { path: 'a' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', toolUseId: 'call_9', content: 'denied', isError: true },
            { type: 'text', text: 'go on' },
          ],
        },
      ],
    });
    const body = server.chatRequests()[0]!.json as ChatBody;
    expect(body.messages.slice(1)).toEqual([
      { role: 'user', content: 'task' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_9', type: 'function', function: { name: 'write_file', arguments: '{"path":"a"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_9', content: 'ERROR: denied' },
      { role: 'user', content: 'go on' },
    ]);
  });

  it('estimates usage when a compatible server sends no usage chunk', async () => {
    await server.close();
    server = await startFakeOpenaiServer({ sendUsage: false, responder: () => ({ text: 'twelve chars' }) });
    const { ai } = provider();
    const response = await ai.complete(request);
    expect(response.usage).toEqual({
      inputTokens: estimateRequestTokens(request),
      outputTokens: 3,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(await ai.countTokens(request)).toBe(estimateRequestTokens(request));
  });

  it('retries a 429 honouring retry-after, then succeeds', async () => {
    server.failNext({
      status: 429,
      type: 'rate_limit_exceeded',
      message: 'Rate limit reached',
      retryAfter: '0.02',
    });
    const { ai, logger } = provider();
    await expect(ai.complete(request)).resolves.toMatchObject({ stopReason: 'end_turn' });
    expect(server.chatRequests()).toHaveLength(2);
    expect(logger.lines).toContain('debug: openai: HTTP 429, retry-after 0.020s');
  });

  it('gives up on repeated 5xx with a clear error', async () => {
    server.failNext(
      ...Array.from({ length: 3 }, () => ({
        status: 503,
        type: 'server_error',
        message: 'The server is overloaded',
        retryAfter: '0.01',
      })),
    );
    const { ai } = provider({ max_retries: 2 });
    await expect(ai.complete(request)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: expect.stringContaining('server error (503: The server is overloaded)'),
    });
    expect(server.chatRequests()).toHaveLength(3);
  });

  it('says how to start a local server when nothing listens', async () => {
    const { ai } = provider({ base_url: 'http://127.0.0.1:9/v1', max_retries: 0 });
    await expect(ai.complete(request)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      hint: expect.stringContaining('ollama serve'),
    });
  });

  it('needs OPENAI_API_KEY for api.openai.com, and then uses max_completion_tokens', () => {
    const official = (env: Record<string, string>) =>
      new OpenaiAi(testProviderContext(openaiConfigSchema.parse({}), { path: 'ai.openai', env }));
    expect(() => official({})).toThrow(
      expect.objectContaining({ code: 'ENV_MISSING', message: expect.stringContaining('OPENAI_API_KEY') }),
    );
    expect(official({ OPENAI_API_KEY: 'sk-test' }).baseURL).toBe('https://api.openai.com/v1');
    const local = new OpenaiAi(
      testProviderContext(openaiConfigSchema.parse({}), {
        path: 'ai.openai',
        env: { OPENAI_BASE_URL: `${server.url}/v1` },
      }),
    );
    expect(local.baseURL).toBe(`${server.url}/v1`);
  });
});
