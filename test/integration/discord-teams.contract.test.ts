// Discord and Teams contract: the webhook bodies match the documented payloads and limits, the same summary reaches
// both, 429s are waited out within a bound, and the webhook URL (a secret) never appears in errors or logs.
import { describe, expect, it } from 'vitest';
import { discordChatConfigSchema } from '../../providers/chat/discord/config.js';
import { discordChatProvider } from '../../providers/chat/discord/index.js';
import { teamsChatConfigSchema } from '../../providers/chat/teams/config.js';
import { teamsChatProvider } from '../../providers/chat/teams/index.js';
import type { ChatMessage, ChatProvider } from '../../providers/types.js';
import { AidevError } from '../../src/core/errors.js';
import { startDiscordFake, startTeamsFake } from '../helpers/contract/webhook-fakes.js';
import { providerContext, steppingClock } from '../helpers/provider-context.js';

const summary: ChatMessage = {
  text: 'ENG-12 is ready for review',
  level: 'success',
  link: { url: 'https://github.com/acme/api/pull/7', label: 'PR #7' },
  fields: { task: 'ENG-12 Add login', status: 'in_review', cost: '$0.42', duration: '4m 10s' },
};

async function discord(url: string, settings: Record<string, unknown> = {}): Promise<ChatProvider> {
  const ctx = providerContext(discordChatConfigSchema.parse(settings), {
    repoRoot: '/tmp',
    env: { DISCORD_WEBHOOK_URL: url },
    path: 'chat.discord',
    clock: steppingClock(),
  });
  return discordChatProvider.create(ctx);
}

async function teams(url: string): Promise<ChatProvider> {
  const ctx = providerContext(teamsChatConfigSchema.parse({}), {
    repoRoot: '/tmp',
    env: { TEAMS_WEBHOOK_URL: url },
    path: 'chat.teams',
  });
  return teamsChatProvider.create(ctx);
}

async function caught(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe('chat.discord against a webhook receiver', () => {
  it('sends one embed with the summary, colour by level, and no pings', async () => {
    const fake = await startDiscordFake();
    const chat = await discord(fake.url, { username: 'aidev' });
    const sent = await chat.notify({ ...summary, text: '@everyone ENG-12 is ready for review' });
    expect(sent).toEqual({ id: '1200000000000000001', threadId: null });
    expect(fake.received).toEqual([
      {
        content: '✅ @everyone ENG-12 is ready for review',
        username: 'aidev',
        allowed_mentions: { parse: [] },
        embeds: [
          {
            title: 'PR #7',
            url: 'https://github.com/acme/api/pull/7',
            description: '@everyone ENG-12 is ready for review',
            color: 0x22c55e,
            fields: [
              { name: 'Task', value: 'ENG-12 Add login', inline: true },
              { name: 'Status', value: 'in_review', inline: true },
              { name: 'Cost', value: '$0.42', inline: true },
              { name: 'Duration', value: '4m 10s', inline: true },
            ],
            footer: { text: 'aidev · success' },
            timestamp: '2026-11-25T10:00:01.000Z',
          },
        ],
      },
    ]);
  });

  it('keeps to the 2000-character content and the embed limits', async () => {
    const fake = await startDiscordFake();
    const chat = await discord(fake.url);
    const fields = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field ${i}`, 'v'.repeat(1500)]));
    await chat.notify({ text: 'x'.repeat(9000), level: 'error', fields });
    const body = fake.received[0]!;
    expect([...body.content!].length).toBe(2000);
    const embed = body.embeds![0]!;
    expect(embed.title!.length).toBe(256);
    expect(embed.color).toBe(0xef4444);
    expect(embed.fields!.length).toBeLessThanOrEqual(25);
    // The receiver checks the 6000-character total; reaching it means the body passed.
  });

  it('waits out a 429 (retry_after) and sends once', async () => {
    const fake = await startDiscordFake();
    fake.faults.push({ retryAfter: 0.01 });
    const chat = await discord(fake.url);
    await chat.notify(summary);
    expect(fake.received).toHaveLength(1);
    expect(fake.loopback.requests).toHaveLength(2);
  });

  it('stops after three 429s, and at once on a long wait', async () => {
    const fake = await startDiscordFake();
    fake.faults.push({ retryAfter: 0 }, { retryAfter: 0 }, { retryAfter: 0 }, { retryAfter: 300 });
    const chat = await discord(fake.url);
    expect((await caught(chat.notify(summary))).message).toContain('rate limit');
    expect(fake.loopback.requests).toHaveLength(3);
    expect((await caught(chat.notify(summary))).hint).toContain('300s');
    expect(fake.loopback.requests).toHaveLength(4);
  });

  it('says the webhook is gone on 404, without the URL', async () => {
    const fake = await startDiscordFake();
    fake.faults.push({ status: 404 });
    const chat = await discord(fake.url);
    const error = await caught(chat.notify(summary));
    expect(error.hint).toContain('DISCORD_WEBHOOK_URL');
    const everything = JSON.stringify([error.message, error.hint, error.toJSON(), String(error.cause)]);
    expect(everything).not.toContain('discord-secret-token');
    expect(everything).not.toContain('1100000000000000001');
  });
});

describe('chat.teams against a Workflows webhook receiver', () => {
  it('sends the same summary as an Adaptive Card', async () => {
    const fake = await startTeamsFake();
    const chat = await teams(fake.url);
    expect(await chat.notify(summary)).toEqual({ id: null, threadId: null });
    expect(fake.received).toEqual([
      {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                {
                  type: 'TextBlock',
                  text: '✅ ENG-12 is ready for review',
                  wrap: true,
                  weight: 'bolder',
                  size: 'medium',
                  color: 'good',
                },
                {
                  type: 'FactSet',
                  facts: [
                    { title: 'Task', value: 'ENG-12 Add login' },
                    { title: 'Status', value: 'in_review' },
                    { title: 'Cost', value: '$0.42' },
                    { title: 'Duration', value: '4m 10s' },
                  ],
                },
                { type: 'TextBlock', text: 'aidev · success', wrap: true, isSubtle: true },
              ],
              actions: [
                { type: 'Action.OpenUrl', title: 'PR #7', url: 'https://github.com/acme/api/pull/7' },
              ],
              msteams: { width: 'Full' },
            },
          },
        ],
      },
    ]);
  });

  it('stays under the 28 KB message limit with long text', async () => {
    const fake = await startTeamsFake();
    const chat = await teams(fake.url);
    await chat.notify({ text: 'y'.repeat(50_000), fields: { log: 'z'.repeat(50_000) } });
    expect(fake.received).toHaveLength(1);
  });

  it('honours Retry-After on a 429', async () => {
    const fake = await startTeamsFake();
    fake.faults.push({ retryAfter: 0 });
    const chat = await teams(fake.url);
    await chat.notify(summary);
    expect(fake.loopback.requests).toHaveLength(2);
    expect(fake.received).toHaveLength(1);
  });

  it('hides the signed URL in errors', async () => {
    const fake = await startTeamsFake();
    fake.faults.push({ status: 403 });
    const chat = await teams(fake.url);
    const error = await caught(chat.notify(summary));
    expect(error.hint).toContain('TEAMS_WEBHOOK_URL');
    const everything = JSON.stringify([error.message, error.hint, error.toJSON()]);
    expect(everything).not.toContain('teams-secret-sig');
    expect(everything).not.toContain('0a1b2c');
  });
});

describe('webhook settings', () => {
  it('needs the URL, and rejects a malformed one without echoing it', async () => {
    const missing = providerContext(teamsChatConfigSchema.parse({}), {
      repoRoot: '/tmp',
      env: {},
      path: 'chat.teams',
    });
    expect((await caught(teamsChatProvider.create(missing))).code).toBe('ENV_MISSING');
    const error = await caught(discord('http://discord.example.com/api/webhooks/1/very-secret'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('chat.discord.webhook_url');
    expect(JSON.stringify(error.toJSON())).not.toContain('very-secret');
  });

  it('reports an unreachable webhook without the URL', async () => {
    const fake = await startDiscordFake();
    const url = fake.url;
    await fake.close();
    const chat = await discord(url);
    const error = await caught(chat.notify(summary));
    expect(error.message).toContain('cannot reach the Discord webhook at http://127.0.0.1');
    expect(JSON.stringify(error.toJSON())).not.toContain('discord-secret-token');
  });
});
