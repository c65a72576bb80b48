// Loopback receivers for Discord and Teams incoming webhooks. Bodies are checked against zod schemas written from the
// vendors' documented payloads (Discord "Execute Webhook" with its embed limits; the Teams Workflows `message` envelope
// around an Adaptive Card), and answered the way each service answers, including 429s.
import { z } from 'zod';
import { startLoopback, type ContractResponse, type Loopback } from './loopback.js';

// ---- Discord: https://discord.com/developers/docs/resources/webhook#execute-webhook ----
const embedSchema = z.strictObject({
  title: z.string().max(256).optional(),
  type: z.literal('rich').optional(),
  description: z.string().max(4096).optional(),
  url: z.string().url().optional(),
  timestamp: z.string().datetime({ offset: true }).optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  footer: z
    .strictObject({ text: z.string().min(1).max(2048), icon_url: z.string().url().optional() })
    .optional(),
  author: z.strictObject({ name: z.string().max(256), url: z.string().url().optional() }).optional(),
  fields: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(256),
        value: z.string().min(1).max(1024),
        inline: z.boolean().optional(),
      }),
    )
    .max(25)
    .optional(),
});

const embedChars = (e: z.infer<typeof embedSchema>): number =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.author?.name.length ?? 0) +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

export const discordWebhookBodySchema = z
  .strictObject({
    content: z.string().max(2000).optional(),
    username: z.string().min(1).max(80).optional(),
    avatar_url: z.string().url().optional(),
    tts: z.boolean().optional(),
    embeds: z.array(embedSchema).max(10).optional(),
    allowed_mentions: z
      .strictObject({
        parse: z.array(z.enum(['roles', 'users', 'everyone'])).optional(),
        roles: z.array(z.string()).max(100).optional(),
        users: z.array(z.string()).max(100).optional(),
        replied_user: z.boolean().optional(),
      })
      .optional(),
    flags: z.number().int().optional(),
    thread_name: z.string().optional(),
  })
  .refine((b) => (b.content ?? '') !== '' || (b.embeds ?? []).length > 0, 'needs content or an embed')
  .refine(
    (b) => (b.embeds ?? []).reduce((n, e) => n + embedChars(e), 0) <= 6000,
    'embeds over 6000 characters in all',
  );

// ---- Teams Workflows webhook: a `message` with Adaptive Card attachments (https://adaptivecards.io/explorer/) ----
const textBlock = z.strictObject({
  type: z.literal('TextBlock'),
  text: z.string().min(1),
  wrap: z.boolean().optional(),
  weight: z.enum(['default', 'lighter', 'bolder']).optional(),
  size: z.enum(['default', 'small', 'medium', 'large', 'extraLarge']).optional(),
  color: z.enum(['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention']).optional(),
  isSubtle: z.boolean().optional(),
  spacing: z.enum(['none', 'small', 'default', 'medium', 'large', 'extraLarge', 'padding']).optional(),
});
const factSet = z.strictObject({
  type: z.literal('FactSet'),
  facts: z.array(z.strictObject({ title: z.string(), value: z.string() })).min(1),
});
const adaptiveCard = z.strictObject({
  $schema: z.string().url().optional(),
  type: z.literal('AdaptiveCard'),
  version: z.enum(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']),
  body: z.array(z.discriminatedUnion('type', [textBlock, factSet])).min(1),
  actions: z
    .array(
      z.strictObject({ type: z.literal('Action.OpenUrl'), title: z.string().min(1), url: z.string().url() }),
    )
    .optional(),
  msteams: z.strictObject({ width: z.enum(['Full']) }).optional(),
});
export const teamsWorkflowMessageSchema = z.strictObject({
  type: z.literal('message'),
  attachments: z
    .array(
      z.strictObject({
        contentType: z.literal('application/vnd.microsoft.card.adaptive'),
        contentUrl: z.null().optional(),
        content: adaptiveCard,
      }),
    )
    .min(1),
});

export interface WebhookFake<T> {
  /** The full secret webhook URL to configure. */
  url: string;
  loopback: Loopback;
  received: T[];
  /** 429s to answer the next calls with (seconds), or HTTP statuses to fail with. */
  faults: ({ retryAfter: number } | { status: number })[];
  close(): Promise<void>;
}

/** Discord: POST /api/webhooks/{id}/{token}?wait=true, answered with the created message. */
export async function startDiscordFake(): Promise<WebhookFake<z.infer<typeof discordWebhookBodySchema>>> {
  const received: z.infer<typeof discordWebhookBodySchema>[] = [];
  const faults: WebhookFake<unknown>['faults'] = [];
  const path = '/api/webhooks/1100000000000000001/discord-secret-token_ABC';
  const loopback = await startLoopback({
    async route(request, violate): Promise<ContractResponse> {
      if (request.method !== 'POST' || request.path !== path) {
        violate('not the webhook path');
        return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
      }
      request.operation = 'execute-webhook';
      if (request.query.get('wait') !== 'true') violate('expected ?wait=true, to get the message id back');
      if (!String(request.headers['content-type']).startsWith('application/json'))
        violate('expected a JSON body');
      const fault = faults.shift();
      if (fault && 'retryAfter' in fault)
        return {
          status: 429,
          headers: { 'retry-after': String(Math.ceil(fault.retryAfter)) },
          body: { message: 'You are being rate limited.', retry_after: fault.retryAfter, global: false },
        };
      if (fault) return { status: fault.status, body: { message: 'Unknown Webhook', code: 10015 } };
      const parsed = discordWebhookBodySchema.safeParse(request.body);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) violate(`${issue.path.join('.')}: ${issue.message}`);
        return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      }
      received.push(parsed.data);
      const id = String(1200000000000000000n + BigInt(received.length));
      return {
        status: 200,
        body: { id, type: 0, channel_id: '1000000000000000009', content: parsed.data.content ?? '' },
      };
    },
  });
  return { url: loopback.origin + path, loopback, received, faults, close: () => loopback.close() };
}

/** Teams Workflows: POST …/workflows/{id}/triggers/manual/paths/invoke?…&sig=…, answered 202 with no body. */
export async function startTeamsFake(): Promise<WebhookFake<z.infer<typeof teamsWorkflowMessageSchema>>> {
  const received: z.infer<typeof teamsWorkflowMessageSchema>[] = [];
  const faults: WebhookFake<unknown>['faults'] = [];
  const path = '/workflows/0a1b2c/triggers/manual/paths/invoke';
  const loopback = await startLoopback({
    async route(request, violate): Promise<ContractResponse> {
      if (
        request.method !== 'POST' ||
        request.path !== path ||
        request.query.get('sig') !== 'teams-secret-sig'
      ) {
        violate('not the workflow trigger URL');
        return { status: 401, body: { error: { code: 'DirectApiAuthorizationRequired' } } };
      }
      request.operation = 'workflow-trigger';
      const fault = faults.shift();
      if (fault && 'retryAfter' in fault)
        return {
          status: 429,
          headers: { 'retry-after': String(fault.retryAfter) },
          body: { error: { code: 'TooManyRequests' } },
        };
      if (fault) return { status: fault.status, body: { error: { code: 'WorkflowNotFound' } } };
      const parsed = teamsWorkflowMessageSchema.safeParse(request.body);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) violate(`${issue.path.join('.')}: ${issue.message}`);
        return { status: 400, body: { error: { code: 'InvalidRequestContent' } } };
      }
      if (request.rawBody.length > 28 * 1024) violate('over the 28 KB Teams message limit');
      received.push(parsed.data);
      return { status: 202 };
    },
  });
  return {
    url: `${loopback.origin}${path}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=teams-secret-sig`,
    loopback,
    received,
    faults,
    close: () => loopback.close(),
  };
}
