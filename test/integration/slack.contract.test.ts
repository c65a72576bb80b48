// Slack contract: chat.postMessage requests match the SDK's argument shape and the Block Kit limits, a run's updates go
// into one thread, `{ok:false}` errors become hints, rate limits are waited out within a bound, and the token never leaks.
import { describe, expect, it } from 'vitest';
import { slackChatConfigSchema } from '../../providers/chat/slack/config.js';
import { slackChatProvider } from '../../providers/chat/slack/index.js';
import type { SlackChat } from '../../providers/chat/slack/slack-chat.js';
import type { ChatMessage, Logger } from '../../providers/types.js';
import { AidevError } from '../../src/core/errors.js';
import { startSlackFake, type SlackFake } from '../helpers/contract/slack-fake.js';
import { providerContext } from '../helpers/provider-context.js';

const TOKEN = 'xoxb-1234-secret-token';

async function setup(
  channel = 'C0AIDEV',
  token = TOKEN,
): Promise<{ fake: SlackFake; slack: SlackChat; logs: string[] }> {
  const fake = await startSlackFake({ token: TOKEN });
  const logs: string[] = [];
  const logger: Logger = {
    debug: (m) => logs.push(m),
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m) => logs.push(m),
  };
  const ctx = {
    ...providerContext(slackChatConfigSchema.parse({ channel, base_url: fake.url }), {
      repoRoot: '/tmp',
      env: { SLACK_BOT_TOKEN: token },
      path: 'chat.slack',
    }),
    logger,
  };
  return { fake, slack: (await slackChatProvider.create(ctx)) as SlackChat, logs };
}

async function caught(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

const summary: ChatMessage = {
  text: 'ENG-12 is ready for review',
  level: 'success',
  link: { url: 'https://github.com/acme/api/pull/7', label: 'PR #7' },
  fields: { duration: '4m 10s', cost: '$0.42', status: 'in_review', task: 'ENG-12 Add login' },
};

describe('chat.slack against the contract fake', () => {
  it('posts Block Kit with the task, status, cost, duration and PR link, plus a plain-text fallback', async () => {
    const { fake, slack } = await setup();
    const sent = await slack.notify(summary);
    expect(sent).toEqual({ id: fake.posted[0]!.ts, threadId: fake.posted[0]!.ts });
    const { args } = fake.posted[0]!;
    expect(args.channel).toBe('C0AIDEV');
    expect(args.thread_ts).toBeUndefined();
    expect(args.text).toBe(
      '✅ ENG-12 is ready for review\nTask: ENG-12 Add login · Status: in_review · Cost: $0.42 · Duration: 4m 10s\nPR #7: https://github.com/acme/api/pull/7',
    );
    expect(args.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: *ENG-12 is ready for review*' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Task*\nENG-12 Add login' },
          { type: 'mrkdwn', text: '*Status*\nin_review' },
          { type: 'mrkdwn', text: '*Cost*\n$0.42' },
          { type: 'mrkdwn', text: '*Duration*\n4m 10s' },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: ':link: <https://github.com/acme/api/pull/7|PR #7>' },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'aidev · success' }] },
    ]);
    expect(fake.loopback.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('replies in the thread of the run’s first message', async () => {
    const { fake, slack } = await setup();
    const first = await slack.notify({ text: 'ENG-12 started' });
    const second = await slack.notify({ ...summary, threadId: first.threadId! });
    const third = await slack.notify({ text: 'ENG-12 merged', threadId: second.threadId! });
    expect(second.threadId).toBe(first.id);
    expect(third.threadId).toBe(first.id);
    expect(fake.posted.map((p) => p.threadTs)).toEqual([undefined, first.id, first.id]);
  });

  it('posts to the channel a message names (send_message), outside the run’s thread', async () => {
    const { fake, slack } = await setup();
    const first = await slack.notify({ text: 'ENG-12 started' });
    const aside = await slack.notify({ text: 'for the other team', channel: '#dev-ai', threadId: first.id! });
    const next = await slack.notify({ text: 'ENG-12 merged', threadId: aside.threadId! });
    expect(fake.posted.map((p) => [p.channel, p.threadTs])).toEqual([
      ['C0AIDEV', undefined],
      ['#dev-ai', undefined],
      ['C0AIDEV', first.id],
    ]);
    expect(aside.threadId).toBe(first.id);
    expect(next.threadId).toBe(first.id);
  });

  it('keeps to Block Kit limits and escapes mrkdwn', async () => {
    const { fake, slack } = await setup();
    const fields = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`f${i}`, 'v'.repeat(2500)]));
    await slack.notify({
      text: `<!channel> a & b ${'x'.repeat(5000)}`,
      fields,
      link: { url: 'https://x.test/a|b>c' },
    });
    const { args } = fake.posted[0]!;
    const blocks = args.blocks! as { text?: { text: string }; fields?: unknown[] }[];
    expect(blocks[0]!.text!.text.startsWith(':information_source: *&lt;!channel&gt; a &amp; b')).toBe(true);
    expect(blocks[0]!.text!.text.length).toBe(3000);
    expect(blocks[0]!.text!.text.endsWith('…*')).toBe(true);
    expect(blocks[1]!.fields).toHaveLength(10);
    expect(blocks[2]!.text!.text).toBe(':link: <https://x.test/a%7Cb%3Ec|Open>');
    expect([...args.text!].length).toBeLessThanOrEqual(4000);
  });

  it('checks the token with auth.test (for doctor)', async () => {
    const { slack } = await setup();
    expect(await slack.checkAuth()).toMatchObject({ ok: true, detail: 'bot aidev in Acme' });
  });
});

describe('chat.slack errors', () => {
  it.each([
    ['C0NOPE', 'channel_not_found', 'CONFIG_INVALID', '/invite @aidev'],
    ['C0PRIVATE', 'not_in_channel', 'PROVIDER_ERROR', 'invite the bot: type /invite @aidev in C0PRIVATE'],
  ])('%s → %s becomes a hint', async (channel, _code, errorCode, hint) => {
    const { slack } = await setup(channel);
    const error = await caught(slack.notify(summary));
    expect(error.code).toBe(errorCode);
    expect(error.hint).toContain(hint);
    expect(error.details).toMatchObject({ path: 'chat.slack', slackError: _code });
  });

  it('invalid_auth names the variable, and neither the error nor the logs hold the token', async () => {
    const { slack, logs } = await setup('C0AIDEV', 'xoxb-9999-wrong-secret');
    const error = await caught(slack.notify(summary));
    expect(error.message).toContain('invalid_auth');
    expect(error.hint).toContain('SLACK_BOT_TOKEN');
    const everything = JSON.stringify([error.message, error.hint, error.toJSON(), String(error.cause), logs]);
    expect(everything).not.toContain('wrong-secret');
    expect(everything).not.toContain('xoxb-9999');
  });

  it('maps missing_scope and unknown codes', async () => {
    const { fake, slack } = await setup();
    fake.faults.push({ error: 'missing_scope' }, { error: 'team_added_to_org' });
    expect((await caught(slack.notify(summary))).hint).toContain('chat:write');
    expect((await caught(slack.notify(summary))).message).toContain('team_added_to_org');
  });

  it('honours Retry-After on a 429 and then posts once', async () => {
    const { fake, slack } = await setup();
    fake.faults.push({ retryAfter: '0' }, { retryAfter: '0' });
    const sent = await slack.notify(summary);
    expect(sent.id).toBe(fake.posted[0]!.ts);
    expect(fake.posted).toHaveLength(1);
    expect(fake.loopback.requests).toHaveLength(3);
  });

  it('gives up after three rate-limited tries, and at once on a wait over a minute', async () => {
    const { fake, slack } = await setup();
    fake.faults.push({ retryAfter: '0' }, { retryAfter: '0' }, { retryAfter: '0' });
    const error = await caught(slack.notify(summary));
    expect(error.message).toContain('rate limit');
    expect(fake.loopback.requests).toHaveLength(3);
    fake.faults.push({ retryAfter: '120' });
    expect((await caught(slack.notify(summary))).hint).toContain('120s');
    expect(fake.loopback.requests).toHaveLength(4);
    expect(fake.posted).toHaveLength(0);
  });

  it('needs a channel and a token before it starts', async () => {
    const noChannel = providerContext(slackChatConfigSchema.parse({}), {
      repoRoot: '/tmp',
      env: { SLACK_BOT_TOKEN: TOKEN },
      path: 'chat.slack',
    });
    const error = await caught(slackChatProvider.create(noChannel));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('chat.slack.channel');
    const noToken = providerContext(slackChatConfigSchema.parse({ channel: 'C1' }), {
      repoRoot: '/tmp',
      env: {},
      path: 'chat.slack',
    });
    expect((await caught(slackChatProvider.create(noToken))).code).toBe('ENV_MISSING');
  });
});
