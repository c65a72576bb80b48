// A loopback server that speaks Chat Completions streaming: `data: {chunk}` lines with content deltas, tool_calls
// deltas (id and name first, then argument pieces), a finish_reason chunk, the final usage chunk when
// stream_options.include_usage is set, and `data: [DONE]`. Errors use OpenAI's {"error":{…}} body, with retry-after.
// Like OpenAI, it reports cached_tokens for a prompt prefix seen before (in 128-token steps, from 1024 tokens).
import type { ServerResponse } from 'node:http';
import {
  pieces,
  sendJson,
  startLoopbackServer,
  type LoopbackServer,
  type RecordedRequest,
} from './sse-server.js';

export interface ChatBody {
  model: string;
  messages: { role: string; content?: string | null; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: unknown[];
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export interface ChatReply {
  text?: string;
  tool_calls?: { id?: string; name: string; arguments: string }[];
  finish_reason?: string;
  completion_tokens?: number;
}

export interface ChatFailure {
  status: number;
  type: string;
  message?: string;
  retryAfter?: string;
}

export interface FakeOpenaiServer extends LoopbackServer {
  chatRequests(): RecordedRequest[];
  failNext(...failures: ChatFailure[]): void;
  respond(responder: (body: ChatBody, index: number) => ChatReply): void;
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export async function startFakeOpenaiServer(
  options: { responder?: (body: ChatBody, index: number) => ChatReply; sendUsage?: boolean } = {},
): Promise<FakeOpenaiServer> {
  let responder: (body: ChatBody, index: number) => ChatReply = options.responder ?? (() => ({ text: 'ok' }));
  const failures: ChatFailure[] = [];
  const seenPrompts: string[] = [];
  let calls = 0;

  const chat = (request: RecordedRequest, res: ServerResponse): void => {
    const failure = failures.shift();
    if (failure) {
      return sendJson(
        res,
        failure.status,
        {
          error: {
            message: failure.message ?? failure.type,
            type: failure.type,
            param: null,
            code: failure.type,
          },
        },
        {
          'x-request-id': `req_${calls}`,
          ...(failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {}),
        },
      );
    }
    const body = request.json as ChatBody;
    if (!body.model || !Array.isArray(body.messages) || !body.messages.length)
      return sendJson(res, 400, {
        error: {
          message: "'messages' is a required property",
          type: 'invalid_request_error',
          param: 'messages',
          code: null,
        },
      });
    const index = calls++;
    const reply = responder(body, index);
    const prompt = JSON.stringify([body.tools ?? [], body.messages]);
    const promptTokens = tokens(prompt);
    const shared = Math.max(0, ...seenPrompts.map((p) => commonPrefix(p, prompt)));
    seenPrompts.push(prompt);
    const cached = promptTokens >= 1024 ? Math.floor(tokens(prompt.slice(0, shared)) / 128) * 128 : 0;
    const max = body.max_completion_tokens ?? body.max_tokens ?? Infinity;
    const natural = tokens((reply.text ?? '') + JSON.stringify(reply.tool_calls ?? []));
    const completion = Math.min(reply.completion_tokens ?? natural, max);
    const finish =
      (reply.completion_tokens ?? natural) > max
        ? 'length'
        : (reply.finish_reason ?? (reply.tool_calls?.length ? 'tool_calls' : 'stop'));

    const base = {
      id: `chatcmpl-fake${index}`,
      object: 'chat.completion.chunk',
      created: 1_700_000_000 + index,
      model: body.model,
      system_fingerprint: 'fp_fake',
    };
    const chunk = (delta: unknown, finishReason: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] })}\n\n`,
      );
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_${index}` });
    chunk({ role: 'assistant', content: '', refusal: null });
    if (reply.text) for (const piece of pieces(reply.text, 12)) chunk({ content: piece });
    (reply.tool_calls ?? []).forEach((call, i) => {
      chunk({
        tool_calls: [
          {
            index: i,
            id: call.id ?? `call_fake_${index}_${i}`,
            type: 'function',
            function: { name: call.name, arguments: '' },
          },
        ],
      });
      for (const piece of pieces(call.arguments, 10))
        chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] });
    });
    chunk({}, finish);
    if (body.stream_options?.include_usage && options.sendUsage !== false) {
      const usage = {
        prompt_tokens: promptTokens,
        completion_tokens: completion,
        total_tokens: promptTokens + completion,
        prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      };
      res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
    }
    res.write('data: [DONE]\n\n');
    res.end();
  };

  const server = await startLoopbackServer((request, res) => {
    if (request.method === 'POST' && request.path === '/v1/chat/completions') return chat(request, res);
    sendJson(res, 404, {
      error: {
        message: `Invalid URL (${request.method} ${request.path})`,
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });
  return {
    ...server,
    chatRequests: () => server.requests.filter((r) => r.path === '/v1/chat/completions'),
    failNext: (...more) => void failures.push(...more),
    respond: (next) => void (responder = next),
  };
}
