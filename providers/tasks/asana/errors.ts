// What the asana SDK throws (superagent errors carrying the response) as AidevErrors that say what failed, which
// config path is involved and how to fix it: 401 (token), 403 (access, or the OAuth scope), 404, 400 (with the field),
// 429 (Retry-After, bounded by the caller's retry).
import { AidevError, isAbortError } from '../../../src/core/errors.js';
import { parseRetryAfter, RateLimited } from '../../shared/rate-limit.js';

interface SuperagentError {
  status: number;
  response?: { headers?: Record<string, string | undefined>; body?: unknown };
}

function asHttpError(error: unknown): SuperagentError | undefined {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number'
    ? (error as unknown as SuperagentError)
    : undefined;
}

/** Seconds Asana asked to wait, for a 429; else undefined. */
export function asanaRetryAfter(error: unknown): number | undefined {
  const e = asHttpError(error);
  return e?.status === 429 ? parseRetryAfter(e.response?.headers?.['retry-after']) : undefined;
}

/** Asana's own messages, `errors[].message`, in one line. */
export function asanaMessage(body: unknown): string {
  const errors = (body as { errors?: { message?: string }[] } | undefined)?.errors ?? [];
  return errors
    .map((e) => e.message ?? '')
    .filter(Boolean)
    .join('; ');
}

export interface AsanaErrorContext {
  action: string;
  /** The config block, `tasks.asana`. */
  path: string;
  notFound?: string | undefined;
  /** The OAuth scope the call needs, e.g. `tasks:write` (personal access tokens carry all of their user's access). */
  needs?: string | undefined;
}

export function asanaError(error: unknown, at: AsanaErrorContext): AidevError {
  if (error instanceof AidevError) return error;
  if (isAbortError(error))
    return new AidevError('INTERRUPTED', `Asana: ${at.action} was interrupted`, { cause: error });
  if (error instanceof RateLimited)
    return new AidevError(
      'PROVIDER_ERROR',
      `Asana: cannot ${at.action}: rate limited (${error.attempts} tries)`,
      {
        hint: `Asana asked to wait ${error.retryAfterSeconds}s; try again then (\`aidev resume\` continues a run)`,
        cause: error,
      },
    );
  const e = asHttpError(error);
  if (!e) {
    const message = error instanceof Error ? error.message : String(error);
    return new AidevError('PROVIDER_ERROR', `Asana: cannot ${at.action}: ${message}`, {
      hint: `check that Asana is reachable (${at.path}.base_url)`,
      cause: error,
    });
  }
  const said = asanaMessage(e.response?.body) || `HTTP ${e.status}`;
  const make = (message: string, hint: string) =>
    new AidevError('PROVIDER_ERROR', `Asana: cannot ${at.action}: ${message}`, {
      hint,
      cause: error,
      details: { status: e.status, path: at.path },
    });
  switch (e.status) {
    case 401:
      return make(
        `the token was refused (401 ${said})`,
        `set ASANA_TOKEN (or ${at.path}.token) to a valid personal access token (My settings → Apps → Developer apps)`,
      );
    case 402:
    case 403:
      return make(
        `permission denied (${e.status} ${said})`,
        `the token's user needs access to ${at.notFound ?? 'the project'}${at.needs ? `, and an OAuth token the ${at.needs} scope` : ''}`,
      );
    case 404:
      return make(
        `${at.notFound ?? 'the resource'} was not found (404 ${said})`,
        `check the id and ${at.path}.project / ${at.path}.workspace (gids, as in the Asana URL)`,
      );
    case 400: {
      const field = /^(\w+)(?:\.\w+)*:/.exec(said)?.[1];
      return make(
        `Asana refused it (400 ${said})`,
        field ? `fix ${field} and retry` : 'fix what Asana names and retry',
      );
    }
    case 429:
      return make(`rate limited (429 ${said})`, 'Asana limits requests per minute; try again later');
    default:
      return make(
        `Asana answered ${e.status} ${said}`,
        e.status >= 500
          ? 'Asana had a server error; retry later (`aidev resume` continues a run)'
          : 'see developers.asana.com',
      );
  }
}
