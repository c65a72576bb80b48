// Posting to an incoming webhook (Discord, Teams) with plain fetch: bounded waits on 429, and errors that never show
// the URL, because a webhook URL is the credential itself (anyone holding it can post).
import { AidevError } from '../../../src/core/errors.js';
import { RateLimited, withRateLimit } from '../../shared/rate-limit.js';

export interface WebhookTarget {
  /** The secret URL. */
  url: string;
  /** Vendor name for messages, e.g. "Discord". */
  vendor: string;
  /** Config path of the provider block, e.g. `chat.discord`. */
  path: string;
  /** The environment variable that holds the URL by default. */
  variable: string;
}

class WebhookRateLimited extends Error {
  constructor(readonly seconds: number) {
    super('rate limited');
  }
}

/** The URL with everything after the host hidden: safe for messages and logs. */
export function redactWebhookUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(hidden)';
  }
}

/** Checks the URL's form without ever echoing it. */
export function checkWebhookUrl(target: WebhookTarget): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(target.url);
  } catch {
    parsed = undefined;
  }
  const loopback = parsed && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (!parsed || (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)))
    throw new AidevError('CONFIG_INVALID', `${target.path}.webhook_url is not an https URL (value hidden)`, {
      hint: `set ${target.variable} to the webhook URL ${target.vendor} shows when you create the webhook`,
      details: { path: `${target.path}.webhook_url` },
    });
}

/**
 * POSTs `body` as JSON. `retryAfterOf` reads the wait from a 429 (vendors differ). Returns the response of the first
 * non-429 answer; maps HTTP failures to AidevErrors without the URL.
 */
export async function postWebhook(
  target: WebhookTarget,
  body: unknown,
  options: {
    query?: string;
    signal?: AbortSignal | undefined;
    retryAfterOf: (response: Response, text: string) => number;
  },
): Promise<{ status: number; text: string }> {
  const url = options.query
    ? `${target.url}${target.url.includes('?') ? '&' : '?'}${options.query}`
    : target.url;
  try {
    return await withRateLimit(
      async () => {
        options.signal?.throwIfAborted();
        let response: Response;
        try {
          response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: options.signal,
            redirect: 'error',
          });
        } catch (error) {
          if (options.signal?.aborted) throw error;
          // The fetch error may carry the URL: keep only its kind.
          throw new AidevError(
            'PROVIDER_ERROR',
            `cannot reach the ${target.vendor} webhook at ${redactWebhookUrl(url)}`,
            {
              hint: 'check the network and the webhook URL, then run it again',
              details: { path: `${target.path}.webhook_url` },
            },
          );
        }
        const text = await response.text();
        if (response.status === 429) throw new WebhookRateLimited(options.retryAfterOf(response, text));
        if (!response.ok) throw httpError(target, response.status, text);
        return { status: response.status, text };
      },
      (error) => (error instanceof WebhookRateLimited ? error.seconds : undefined),
      undefined,
      options.signal,
    );
  } catch (error) {
    if (error instanceof RateLimited)
      throw new AidevError(
        'PROVIDER_ERROR',
        `${target.vendor} rate limit: the message was not sent (${error.attempts} tries)`,
        {
          hint: `${target.vendor} asked to wait ${error.retryAfterSeconds}s; run it again later`,
        },
      );
    throw error;
  }
}

function httpError(target: WebhookTarget, status: number, text: string): AidevError {
  const where = redactWebhookUrl(target.url);
  // Vendor error bodies are short JSON; cut them and strip anything that looks like the URL.
  const said = text.replaceAll(target.url, where).slice(0, 300);
  const details = { path: `${target.path}.webhook_url`, status };
  if (status === 401 || status === 403 || status === 404)
    return new AidevError(
      'PROVIDER_ERROR',
      `the ${target.vendor} webhook refused the message (HTTP ${status})`,
      {
        hint: `the webhook was deleted or the URL is wrong: create a new one and set ${target.variable}`,
        details,
      },
    );
  if (status >= 400 && status < 500)
    return new AidevError(
      'PROVIDER_ERROR',
      `${target.vendor} rejected the message (HTTP ${status}): ${said}`,
      {
        hint: 'this is a bug in aidev’s message format; please report it',
        details,
      },
    );
  return new AidevError('PROVIDER_ERROR', `${target.vendor} is unavailable (HTTP ${status})`, {
    hint: 'run it again later',
    details,
  });
}
