// The Slack notifier over @slack/web-api: chat.postMessage with Block Kit and a plain-text fallback, replies in the
// run's thread, and bounded retries on rate limits (the SDK's own retry waits up to ~30 minutes, so it is turned off).
import type { AuthStatus } from '../../capabilities.js';
import { LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import { AidevError } from '../../../src/core/errors.js';
import { withRateLimit } from '../../shared/rate-limit.js';
import type { ChatMessage, ChatProvider, Logger, ProviderContext } from '../../types.js';
import { postMessageArguments } from './blocks.js';
import type { SlackChatConfig } from './config.js';
import { slackError, slackRetryAfter } from './errors.js';

type Opts = { signal?: AbortSignal | undefined } | undefined;

export class SlackChat implements ChatProvider {
  readonly id = 'slack';
  readonly #client: WebClient;
  readonly #channel: string;
  readonly #path: string;

  private constructor(client: WebClient, channel: string, path: string) {
    this.#client = client;
    this.#channel = channel;
    this.#path = path;
  }

  static connect(ctx: ProviderContext<SlackChatConfig>): SlackChat {
    const token = ctx.credential('token', 'SLACK_BOT_TOKEN');
    const channel = ctx.settings.channel;
    if (!channel)
      throw new AidevError('CONFIG_INVALID', `${ctx.path}.channel is not set`, {
        hint: `set ${ctx.path}.channel to the channel id (C0123ABCD) or name (#dev-ai) the bot posts to`,
        details: { path: `${ctx.path}.channel` },
      });
    const client = new WebClient(token, {
      slackApiUrl: ctx.settings.base_url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      allowAbsoluteUrls: false,
      logger: quietLogger(ctx.logger),
      logLevel: LogLevel.WARN,
    });
    return new SlackChat(client, channel, ctx.path);
  }

  async notify(message: ChatMessage, opts?: Opts): Promise<{ id: string | null; threadId: string | null }> {
    const channel = message.channel ?? this.#channel;
    // A thread lives in one channel: a message for another channel stands alone and leaves the run's thread be.
    const elsewhere = channel !== this.#channel;
    const args = postMessageArguments(channel, elsewhere ? { ...message, threadId: undefined } : message);
    const result = await this.#call('post to ' + channel, () => this.#client.chat.postMessage(args), opts);
    const ts = result.ts ?? null;
    // The first message of a run starts the thread; later ones reply under it.
    return { id: ts, threadId: elsewhere ? (message.threadId ?? null) : (message.threadId ?? ts) };
  }

  /** For `aidev doctor` (AuthChecker): which bot and workspace the token belongs to (auth.test). */
  async checkAuth(opts?: Opts): Promise<AuthStatus> {
    try {
      const result = await this.#call('check the bot token', () => this.#client.auth.test(), opts);
      return {
        ok: true,
        identity: result.user ?? null,
        detail: `bot ${result.user ?? '?'} in ${result.team ?? '?'}`,
      };
    } catch (error) {
      if (!(error instanceof AidevError)) throw error;
      return { ok: false, identity: null, detail: error.message, hint: error.hint };
    }
  }

  async #call<T>(action: string, fn: () => Promise<T>, opts: Opts): Promise<T> {
    try {
      return await withRateLimit(
        async () => {
          opts?.signal?.throwIfAborted();
          return fn();
        },
        slackRetryAfter,
        undefined,
        opts?.signal,
      );
    } catch (error) {
      if (opts?.signal?.aborted) throw error;
      throw slackError(error, { path: this.#path, channel: this.#channel, action });
    }
  }
}

/** The SDK's log lines go to aidev's logger, warnings and up only: its debug lines carry request bodies. */
function quietLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msgs: unknown[]) => logger.warn(`slack: ${msgs.map(String).join(' ')}`),
    error: (...msgs: unknown[]) => logger.error(`slack: ${msgs.map(String).join(' ')}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
