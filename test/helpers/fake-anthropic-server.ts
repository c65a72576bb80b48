// A loopback server that speaks the Anthropic Messages wire format: SSE (message_start, content_block_start/delta
// (text_delta, input_json_delta)/stop, message_delta with usage, message_stop), tool_use blocks, count_tokens, and
// 429 / 529 errors with retry-after. It simulates prompt caching the way the API documents it (a breakpoint's prefix is
// written; a later request reads the longest written prefix found within 20 blocks before one of its breakpoints),
// so usage shows cache reads only when the client keeps its prefix stable and marks breakpoints well.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  pieces,
  sendJson,
  startLoopbackServer,
  type LoopbackServer,
  type RecordedRequest,
} from './sse-server.js';

export type FakeBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: unknown };

export interface FakeReply {
  content: FakeBlock[];
  stop_reason?: string;
  /** Output tokens to bill (default: the content's characters / 4); never more than the request's max_tokens. */
  output_tokens?: number;
}

export interface WireBlock {
  type: string;
  text?: string;
  cache_control?: unknown;
  [key: string]: unknown;
}

export interface MessagesBody {
  model: string;
  max_tokens: number;
  system?: string | WireBlock[];
  tools?: WireBlock[];
  messages: { role: string; content: string | WireBlock[] }[];
  stream?: boolean;
}

export interface Failure {
  status: number;
  type: string;
  message?: string;
  retryAfter?: string;
}

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface FakeAnthropicServer extends LoopbackServer {
  /** The POST /v1/messages requests only. */
  messageRequests(): RecordedRequest[];
  /** The usage billed for each /v1/messages request, in order. */
  usages: (CacheUsage & { output_tokens: number })[];
  failNext(...failures: Failure[]): void;
  failCountTokens(failures: number): void;
  respond(responder: (body: MessagesBody, index: number) => FakeReply): void;
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

/** The prompt as the API sees it, block by block: tools, then system, then each message's content. */
export function promptBlocks(
  body: Pick<MessagesBody, 'tools' | 'system' | 'messages'>,
): { text: string; breakpoint: boolean }[] {
  const out: { text: string; breakpoint: boolean }[] = [];
  const push = (block: WireBlock, prefix = ''): void => {
    const { cache_control, ...rest } = block;
    out.push({ text: prefix + JSON.stringify(rest), breakpoint: cache_control !== undefined });
  };
  for (const tool of body.tools ?? []) push(tool);
  if (typeof body.system === 'string') out.push({ text: body.system, breakpoint: false });
  else for (const block of body.system ?? []) push(block);
  for (const message of body.messages) {
    const blocks =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    blocks.forEach((block, i) => push(block, i === 0 ? `${message.role}:` : ''));
  }
  return out;
}

function validate(body: MessagesBody): string | null {
  if (typeof body.model !== 'string' || !body.model) return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || !body.messages.length)
    return 'messages: at least one message is required';
  const blocks = promptBlocks(body);
  if (blocks.filter((b) => b.breakpoint).length > 4)
    return 'A maximum of 4 blocks with cache_control may be provided.';
  let previousToolUses = new Set<string>();
  for (const [i, message] of body.messages.entries()) {
    const content =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of content) {
      if (block.type === 'text' && !block.text) return `messages.${i}: text content blocks must be non-empty`;
      if (block.type === 'tool_result' && !previousToolUses.has(String(block.tool_use_id)))
        return `messages.${i}: unexpected tool_use_id found in tool_result blocks: ${String(block.tool_use_id)}. Each tool_result block must have a corresponding tool_use block in the previous message.`;
    }
    previousToolUses = new Set(content.filter((b) => b.type === 'tool_use').map((b) => String(b.id)));
  }
  return null;
}

function writeEvent(res: ServerResponse, type: string, data: unknown): void {
  res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function startFakeAnthropicServer(
  options: { responder?: (body: MessagesBody, index: number) => FakeReply } = {},
): Promise<FakeAnthropicServer> {
  let responder: (body: MessagesBody, index: number) => FakeReply =
    options.responder ?? (() => ({ content: [{ type: 'text', text: 'ok' }] }));
  const failures: Failure[] = [];
  let countFailures = 0;
  const cache = new Set<string>();
  const usages: FakeAnthropicServer['usages'] = [];
  let calls = 0;

  const simulateCache = (body: MessagesBody): CacheUsage => {
    const blocks = promptBlocks(body);
    const hashes: string[] = [];
    const hash = createHash('sha256');
    for (const block of blocks) hashes.push(hash.update(block.text).copy().digest('hex'));
    const cum: number[] = [];
    blocks.reduce((sum, b, i) => (cum[i] = sum + tokens(b.text)), 0);
    const breakpoints = blocks.flatMap((b, i) => (b.breakpoint ? [i] : []));
    const total = cum[cum.length - 1] ?? 0;
    if (!breakpoints.length)
      return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    let hit = -1;
    for (const b of breakpoints)
      for (let i = b; i >= Math.max(0, b - 20); i--)
        if (cache.has(hashes[i]!)) {
          hit = Math.max(hit, i);
          break;
        }
    const last = breakpoints[breakpoints.length - 1]!;
    for (const b of breakpoints) cache.add(hashes[b]!);
    const read = hit >= 0 ? cum[hit]! : 0;
    const upTo = Math.max(cum[last]!, read);
    return {
      cache_read_input_tokens: read,
      cache_creation_input_tokens: upTo - read,
      input_tokens: total - upTo,
    };
  };

  const messages = (request: RecordedRequest, res: ServerResponse): void => {
    const failure = failures.shift();
    const requestId = `req_fake_${calls}`;
    if (failure) {
      sendJson(
        res,
        failure.status,
        { type: 'error', error: { type: failure.type, message: failure.message ?? failure.type } },
        {
          'request-id': requestId,
          ...(failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {}),
        },
      );
      return;
    }
    const body = request.json as MessagesBody;
    const problem = validate(body);
    if (problem)
      return sendJson(res, 400, {
        type: 'error',
        error: { type: 'invalid_request_error', message: problem },
      });
    const index = calls++;
    const reply = responder(body, index);
    const usage = simulateCache(body);
    const natural = tokens(JSON.stringify(reply.content));
    const output = Math.min(reply.output_tokens ?? natural, body.max_tokens);
    const stop =
      (reply.output_tokens ?? natural) > body.max_tokens
        ? 'max_tokens'
        : (reply.stop_reason ?? (reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'));
    usages.push({ ...usage, output_tokens: output });

    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': requestId,
    });
    writeEvent(res, 'message_start', {
      type: 'message_start',
      message: {
        id: `msg_fake_${index}`,
        type: 'message',
        role: 'assistant',
        content: [],
        model: body.model,
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    });
    writeEvent(res, 'ping', { type: 'ping' });
    reply.content.forEach((block, i) => {
      if (block.type === 'text') {
        writeEvent(res, 'content_block_start', {
          type: 'content_block_start',
          index: i,
          content_block: { type: 'text', text: '' },
        });
        for (const piece of pieces(block.text, 16))
          writeEvent(res, 'content_block_delta', {
            type: 'content_block_delta',
            index: i,
            delta: { type: 'text_delta', text: piece },
          });
      } else {
        const id = block.id ?? `toolu_fake_${index}_${i}`;
        writeEvent(res, 'content_block_start', {
          type: 'content_block_start',
          index: i,
          content_block: { type: 'tool_use', id, name: block.name, input: {} },
        });
        for (const piece of pieces(JSON.stringify(block.input), 24))
          writeEvent(res, 'content_block_delta', {
            type: 'content_block_delta',
            index: i,
            delta: { type: 'input_json_delta', partial_json: piece },
          });
      }
      writeEvent(res, 'content_block_stop', { type: 'content_block_stop', index: i });
    });
    writeEvent(res, 'message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: output },
    });
    writeEvent(res, 'message_stop', { type: 'message_stop' });
    res.end();
  };

  const server = await startLoopbackServer((request, res) => {
    if (request.method === 'POST' && request.path === '/v1/messages') return messages(request, res);
    if (request.method === 'POST' && request.path === '/v1/messages/count_tokens') {
      if (countFailures > 0) {
        countFailures--;
        return sendJson(res, 500, {
          type: 'error',
          error: { type: 'api_error', message: 'Internal server error' },
        });
      }
      const body = request.json as MessagesBody;
      const total = promptBlocks(body).reduce((sum, b) => sum + tokens(b.text), 0);
      return sendJson(res, 200, { input_tokens: total });
    }
    sendJson(res, 404, {
      type: 'error',
      error: { type: 'not_found_error', message: `no route ${request.method} ${request.path}` },
    });
  });

  return {
    ...server,
    usages,
    messageRequests: () => server.requests.filter((r) => r.path === '/v1/messages'),
    failNext: (...more) => void failures.push(...more),
    failCountTokens: (n) => void (countFailures = n),
    respond: (next) => void (responder = next),
  };
}
