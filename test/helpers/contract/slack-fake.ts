// A loopback Slack Web API for contract tests. Requests arrive as the SDK sends them (form-encoded, bearer token) and are
// checked against zod mirrors of @slack/web-api's ChatPostMessageArguments and the Block Kit blocks aidev sends; the
// mirrors are tied to the SDK's types at compile time, and answers are typed as the SDK's response types.
import type { AuthTestResponse, ChatPostMessageArguments, ChatPostMessageResponse } from '@slack/web-api';
import { z } from 'zod';
import { startLoopback, type ContractResponse, type Loopback } from './loopback.js';

// ---- Block Kit, as far as aidev uses it (https://docs.slack.dev/reference/block-kit/blocks) ----
const mrkdwn = (max: number) =>
  z.strictObject({
    type: z.literal('mrkdwn'),
    text: z.string().min(1).max(max),
    verbatim: z.boolean().optional(),
  });
const plainText = (max: number) =>
  z.strictObject({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
const textObject = (max: number) => z.discriminatedUnion('type', [mrkdwn(max), plainText(max)]);

const sectionBlock = z
  .strictObject({
    type: z.literal('section'),
    block_id: z.string().max(255).optional(),
    text: textObject(3000).optional(),
    fields: z.array(textObject(2000)).min(1).max(10).optional(),
  })
  .refine((b) => b.text !== undefined || b.fields !== undefined, 'a section needs text or fields');
const contextBlock = z.strictObject({
  type: z.literal('context'),
  block_id: z.string().max(255).optional(),
  elements: z.array(textObject(2000)).min(1).max(10),
});
const block = z.union([sectionBlock, contextBlock]);

// ---- chat.postMessage arguments: every key of ChatPostMessageArguments, as they arrive on the wire ----
export const chatPostMessageArgumentsSchema = z
  .strictObject({
    token: z.string().optional(),
    channel: z.string().min(1),
    text: z.string().max(40_000).optional(),
    blocks: z.array(block).min(1).max(50).optional(),
    attachments: z.array(z.record(z.string(), z.unknown())).optional(),
    markdown_text: z.string().max(12_000).optional(),
    thread_ts: z
      .string()
      .regex(/^\d+\.\d+$/, 'a message ts like 1700000000.000100')
      .optional(),
    reply_broadcast: z.boolean().optional(),
    as_user: z.boolean().optional(),
    icon_emoji: z.string().optional(),
    icon_url: z.string().url().optional(),
    username: z.string().optional(),
    parse: z.enum(['full', 'none']).optional(),
    link_names: z.boolean().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    unfurl_links: z.boolean().optional(),
    unfurl_media: z.boolean().optional(),
    mrkdwn: z.boolean().optional(),
  })
  .refine(
    (a) =>
      a.text !== undefined ||
      a.blocks !== undefined ||
      a.attachments !== undefined ||
      a.markdown_text !== undefined,
    'chat.postMessage needs text, blocks, attachments or markdown_text',
  )
  .refine(
    (a) => a.blocks === undefined || (a.text ?? '').length > 0,
    'messages with blocks need a text fallback',
  );

// The mirror and the SDK's type name the same keys: a key the SDK adds or drops fails the type check here.
type AllKeys<T> = T extends unknown ? keyof T : never;
type Mirror = keyof z.infer<typeof chatPostMessageArgumentsSchema>;
const mirrorHasOnlySdkKeys: [Exclude<Mirror, AllKeys<ChatPostMessageArguments>>] extends [never]
  ? true
  : false = true;
const sdkKeysAreMirrored: [Exclude<AllKeys<ChatPostMessageArguments>, Mirror>] extends [never]
  ? true
  : false = true;
void [mirrorHasOnlySdkKeys, sdkKeysAreMirrored];

const BOOLEAN_KEYS = new Set([
  'reply_broadcast',
  'as_user',
  'link_names',
  'unfurl_links',
  'unfurl_media',
  'mrkdwn',
]);
const JSON_KEYS = new Set(['blocks', 'attachments', 'metadata']);

/** The SDK form-encodes arguments, with objects as JSON and booleans as "true"/"false": undo that. */
export function decodeForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_KEYS.has(key)) out[key] = JSON.parse(value) as unknown;
    else if (BOOLEAN_KEYS.has(key)) out[key] = value === 'true' ? true : value === 'false' ? false : value;
    else out[key] = value;
  }
  return out;
}

export interface SlackPosted {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  args: z.infer<typeof chatPostMessageArgumentsSchema>;
}

export interface SlackFake {
  /** Base for the SDK's slackApiUrl, ending in `/api/`. */
  url: string;
  loopback: Loopback;
  posted: SlackPosted[];
  /** Channel id or name → whether the bot is a member. Others are channel_not_found. */
  channels: Map<string, { member: boolean }>;
  /** Errors to answer the next calls with, in order: a Slack error code, or a 429 with Retry-After seconds. */
  faults: ({ error: string } | { retryAfter: string })[];
  close(): Promise<void>;
}

export async function startSlackFake(options: { token: string }): Promise<SlackFake> {
  let clock = 1_700_000_000;
  const fake = {
    posted: [] as SlackPosted[],
    channels: new Map([
      ['C0AIDEV', { member: true }],
      ['#dev-ai', { member: true }],
      ['C0PRIVATE', { member: false }],
    ]),
    faults: [] as ({ error: string } | { retryAfter: string })[],
  };
  const ok = <T extends { ok?: boolean }>(body: T): ContractResponse => ({ status: 200, body });
  const failure = (error: string): ContractResponse => ({ status: 200, body: { ok: false, error } });

  const loopback = await startLoopback({
    async route(request, violate): Promise<ContractResponse> {
      const method = /^\/api\/([\w.]+)$/.exec(request.path)?.[1];
      if (request.method !== 'POST' || !method) {
        violate('not a Web API method call');
        return { status: 404, body: 'not found' };
      }
      request.operation = method;
      if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
        violate(`expected a form-encoded body, got ${request.headers['content-type']}`);
      if (request.headers.authorization !== `Bearer ${options.token}`) return failure('invalid_auth');
      const fault = fake.faults.shift();
      if (fault && 'retryAfter' in fault)
        return {
          status: 429,
          headers: { 'retry-after': fault.retryAfter },
          body: { ok: false, error: 'ratelimited' },
        };
      if (fault) return failure(fault.error);
      const args = decodeForm(request.rawBody);
      if (method === 'auth.test')
        return ok({
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'aidev',
          team_id: 'T0ACME',
          user_id: 'U0AIDEV',
          bot_id: 'B0AIDEV',
        } satisfies AuthTestResponse);
      if (method !== 'chat.postMessage') {
        violate(`aidev has no business calling ${method}`);
        return failure('unknown_method');
      }
      const parsed = chatPostMessageArgumentsSchema.safeParse(args);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          violate(`chat.postMessage ${issue.path.join('.')}: ${issue.message}`);
        return failure('invalid_arguments');
      }
      const channel = fake.channels.get(parsed.data.channel);
      if (!channel) return failure('channel_not_found');
      if (!channel.member) return failure('not_in_channel');
      const threadTs = parsed.data.thread_ts;
      if (
        threadTs &&
        !fake.posted.some((p) => p.ts === threadTs && p.channel === parsed.data.channel && !p.threadTs)
      )
        violate(`thread_ts ${threadTs} is not a top-level message of ${parsed.data.channel}`);
      const ts = `${++clock}.000100`;
      fake.posted.push({ channel: parsed.data.channel, ts, threadTs, args: parsed.data });
      return ok({
        ok: true,
        channel: parsed.data.channel,
        ts,
        message: { type: 'message', text: parsed.data.text, ts, thread_ts: threadTs, bot_id: 'B0AIDEV' },
      } satisfies ChatPostMessageResponse);
    },
  });
  return { ...fake, url: `${loopback.origin}/api/`, loopback, close: () => loopback.close() };
}
