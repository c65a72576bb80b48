// Slack Web API failures as AidevErrors: `{ok:false, error}` codes get a hint that says how to fix them, naming the
// config path. Duck-typed on the SDK's error `code`, so this file never loads the SDK.
import { AidevError } from '../../../src/core/errors.js';
import { RateLimited } from '../../shared/rate-limit.js';

interface SlackErrorLike {
  code?: string;
  data?: { error?: string; needed?: string };
  retryAfter?: number;
  statusCode?: number;
  message: string;
}

function asSlackError(error: unknown): SlackErrorLike | undefined {
  return error instanceof Error && 'code' in error ? (error as SlackErrorLike) : undefined;
}

/** Seconds to wait when Slack rate-limited the call (HTTP 429, or `error: ratelimited`), else undefined. */
export function slackRetryAfter(error: unknown): number | undefined {
  const e = asSlackError(error);
  if (e?.code === 'slack_webapi_rate_limited_error') return e.retryAfter ?? 1;
  if (e?.code === 'slack_webapi_platform_error' && e.data?.error === 'ratelimited') return 1;
  return undefined;
}

export function slackError(
  error: unknown,
  where: { path: string; channel: string; action: string },
): AidevError {
  const { path, channel, action } = where;
  if (error instanceof RateLimited)
    return new AidevError(
      'PROVIDER_ERROR',
      `Slack rate limit while trying to ${action} (${error.attempts} tries)`,
      {
        hint: `Slack asked to wait ${error.retryAfterSeconds}s; the message was not sent`,
        cause: error,
      },
    );
  const e = asSlackError(error);
  const code = e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
  const details = { path, slackError: code ?? e?.code };
  const fail = (
    message: string,
    hint: string,
    kind: 'PROVIDER_ERROR' | 'CONFIG_INVALID' = 'PROVIDER_ERROR',
  ) => new AidevError(kind, message, { hint, cause: error, details });
  switch (code) {
    case 'channel_not_found':
      return fail(
        `${path}.channel: Slack has no channel "${channel}" that the bot can see`,
        `use the channel id (right-click the channel → Copy link, the C… part); for a private channel, invite the bot first: /invite @aidev`,
        'CONFIG_INVALID',
      );
    case 'not_in_channel':
      return fail(
        `the Slack bot is not a member of ${channel}`,
        `invite the bot: type /invite @aidev in ${channel} (use your app's bot name)`,
      );
    case 'is_archived':
      return fail(
        `the Slack channel ${channel} is archived`,
        `unarchive it or set ${path}.channel to another channel`,
      );
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return fail(
        `Slack rejected the bot token (${code}) while trying to ${action}`,
        `check SLACK_BOT_TOKEN (or ${path}.token): use the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page`,
      );
    case 'missing_scope':
      return fail(
        `the Slack bot token lacks a scope${e?.data?.needed ? ` (${e.data.needed})` : ''}`,
        `add the chat:write scope to the Slack app, reinstall it to the workspace, and update SLACK_BOT_TOKEN`,
      );
    case 'msg_too_long':
    case 'invalid_blocks':
    case 'invalid_arguments':
      return fail(
        `Slack refused the message (${code})`,
        'this is a bug in aidev’s Slack message; please report it',
      );
    default:
      break;
  }
  if (code)
    return fail(`Slack could not ${action}: ${code}`, `see https://api.slack.com/methods for "${code}"`);
  if (e?.code === 'slack_webapi_request_error' || e?.code === 'slack_webapi_http_error')
    return fail(
      `Slack is unreachable while trying to ${action}${e.statusCode ? ` (HTTP ${e.statusCode})` : ''}`,
      `check the network${where.path ? ` and ${path}.base_url` : ''}, then run it again`,
    );
  return fail(
    `Slack: cannot ${action}: ${error instanceof Error ? error.message : String(error)}`,
    'run it again',
  );
}
