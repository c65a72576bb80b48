// The Discord notifier: one webhook call per message (`?wait=true`, so Discord answers with the message id). Webhooks
// cannot start a thread under a message, so every update is its own message and threadId is null.
import { parseRetryAfter } from '../../shared/rate-limit.js';
import type { ChatMessage, ChatProvider, ProviderContext } from '../../types.js';
import { checkWebhookUrl, postWebhook, type WebhookTarget } from '../shared/webhook.js';
import type { DiscordChatConfig } from './config.js';
import { discordBody } from './payload.js';

export class DiscordChat implements ChatProvider {
  readonly id = 'discord';
  readonly #target: WebhookTarget;
  readonly #ctx: ProviderContext<DiscordChatConfig>;

  private constructor(target: WebhookTarget, ctx: ProviderContext<DiscordChatConfig>) {
    this.#target = target;
    this.#ctx = ctx;
  }

  static connect(ctx: ProviderContext<DiscordChatConfig>): DiscordChat {
    const target: WebhookTarget = {
      url: ctx.credential('webhook_url', 'DISCORD_WEBHOOK_URL'),
      vendor: 'Discord',
      path: ctx.path,
      variable: 'DISCORD_WEBHOOK_URL',
    };
    checkWebhookUrl(target);
    return new DiscordChat(target, ctx);
  }

  async notify(
    message: ChatMessage,
    opts?: { signal?: AbortSignal },
  ): Promise<{ id: string | null; threadId: string | null }> {
    const body = discordBody(message, this.#ctx.runtime.clock.now(), this.#ctx.settings.username);
    const { text } = await postWebhook(this.#target, body, {
      query: 'wait=true',
      signal: opts?.signal,
      retryAfterOf: discordRetryAfter,
    });
    return { id: messageId(text), threadId: null };
  }
}

/** Discord puts the wait in the JSON body (`retry_after`, seconds, fractional) and in Retry-After. */
function discordRetryAfter(response: Response, text: string): number {
  try {
    const body = JSON.parse(text) as { retry_after?: unknown };
    if (typeof body.retry_after === 'number') return body.retry_after;
  } catch {
    // not JSON: use the header
  }
  return parseRetryAfter(response.headers.get('retry-after'));
}

function messageId(text: string): string | null {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}
