// Turns what the Linear SDK throws (LinearError subclasses, read by their `type`) into AidevErrors that say what failed,
// which config path is involved and how to fix it. Duck-typed so this file never loads the SDK.
import { AidevError, isAidevError } from '../../../src/core/errors.js';
import { parseRetryAfter, RateLimited } from '../../shared/rate-limit.js';

interface LinearErrorLike {
  type?: string;
  status?: number;
  retryAfter?: number;
  errors?: { message?: string; type?: string }[];
  raw?: { response?: { headers?: Headers; errors?: { extensions?: { code?: string } }[] } };
  message: string;
}

// The API also names errors by `extensions.code`, which the SDK does not read: an error it calls Unknown may still
// be a rate limit or a bad key.
const CODE_TYPES: Record<string, string> = {
  RATELIMITED: 'Ratelimited',
  AUTHENTICATION_ERROR: 'AuthenticationError',
  FORBIDDEN: 'Forbidden',
  INVALID_INPUT: 'InvalidInput',
};

function asLinearError(error: unknown): LinearErrorLike | undefined {
  return error instanceof Error && 'type' in error ? (error as LinearErrorLike) : undefined;
}

function typeOf(e: LinearErrorLike): string | undefined {
  if (e.type && e.type !== 'Unknown') return e.type;
  const code = e.raw?.response?.errors?.[0]?.extensions?.code;
  if (code && CODE_TYPES[code]) return CODE_TYPES[code];
  if (e.status === 429) return 'Ratelimited';
  return e.type;
}

/** Seconds to wait when the API reports a rate limit, else undefined. */
export function linearRetryAfter(error: unknown): number | undefined {
  const e = asLinearError(error);
  if (!e || typeOf(e) !== 'Ratelimited') return undefined;
  return e.retryAfter ?? parseRetryAfter(e.raw?.response?.headers?.get('retry-after'));
}

/** The first GraphQL error message, which the SDK already prefers in its user-presentable form. */
function detail(e: LinearErrorLike): string {
  return e.errors?.[0]?.message ?? e.message;
}

export function linearError(error: unknown, action: string, path: string): AidevError {
  if (isAidevError(error)) return error;
  if (error instanceof RateLimited)
    return new AidevError(
      'PROVIDER_ERROR',
      `Linear rate limit while trying to ${action} (${error.attempts} tries)`,
      {
        hint: `Linear asked to wait ${error.retryAfterSeconds}s; run it again later`,
        cause: error,
      },
    );
  const e = asLinearError(error);
  const type = e && typeOf(e);
  const base = { cause: error, details: { path, linearType: type } };
  switch (type) {
    case 'Ratelimited':
      return new AidevError('PROVIDER_ERROR', `Linear rate limit while trying to ${action}`, {
        ...base,
        hint: 'Linear allows a fixed number of requests an hour per key; run it again later',
      });
    case 'AuthenticationError':
      return new AidevError('PROVIDER_ERROR', `Linear rejected the API key while trying to ${action}`, {
        ...base,
        hint: `check LINEAR_API_KEY (or ${path}.api_key): create a personal key at Linear → Settings → Security & access`,
      });
    case 'Forbidden':
    case 'FeatureNotAccessible':
      return new AidevError('PROVIDER_ERROR', `Linear refused to ${action}: ${detail(e!)}`, {
        ...base,
        hint: `the API key's user needs access to the team in ${path}.team`,
      });
    case 'InvalidInput':
    case 'UserError':
    case 'GraphqlError':
      return new AidevError('PROVIDER_ERROR', `Linear could not ${action}: ${detail(e!)}`, {
        ...base,
        hint: `check the values in ${path} (team, project, status_mapping) and the task's fields`,
      });
    case 'NetworkError':
    case 'InternalError':
    case 'LockTimeout':
      return new AidevError(
        'PROVIDER_ERROR',
        `Linear is unavailable (${detail(e!)}) while trying to ${action}`,
        {
          ...base,
          hint: `try again; if you use ${path}.base_url, check that the server is up`,
        },
      );
    default:
      break;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AidevError('PROVIDER_ERROR', `Linear: cannot ${action}: ${message}`, {
    ...base,
    hint: `check the network and ${path}.base_url`,
  });
}
