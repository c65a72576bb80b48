// The Teams notifier: one Workflows webhook call per message. The workflow answers 202 with no body, so there is no
// message id to return and no thread to reply in.
import { parseRetryAfter } from '../../shared/rate-limit.js';
import type { ChatMessage, ChatProvider, ProviderContext } from '../../types.js';
import { checkWebhookUrl, postWebhook, type WebhookTarget } from '../shared/webhook.js';
import { teamsMessage } from './card.js';
import type { TeamsChatConfig } from './config.js';

export class TeamsChat implements ChatProvider {
  readonly id = 'teams';
  readonly #target: WebhookTarget;

  private constructor(target: WebhookTarget) {
    this.#target = target;
  }

  static connect(ctx: ProviderContext<TeamsChatConfig>): TeamsChat {
    const target: WebhookTarget = {
      url: ctx.credential('webhook_url', 'TEAMS_WEBHOOK_URL'),
      vendor: 'Teams',
      path: ctx.path,
      variable: 'TEAMS_WEBHOOK_URL',
    };
    checkWebhookUrl(target);
    return new TeamsChat(target);
  }

  async notify(
    message: ChatMessage,
    opts?: { signal?: AbortSignal },
  ): Promise<{ id: string | null; threadId: string | null }> {
    await postWebhook(this.#target, teamsMessage(message), {
      signal: opts?.signal,
      retryAfterOf: (response) => parseRetryAfter(response.headers.get('retry-after')),
    });
    return { id: null, threadId: null };
  }
}
