// Turns the model SDKs' errors (Anthropic and OpenAI share a shape: status, request id, error body) into an AidevError
// that says what failed, where (provider, model, endpoint) and what to do. Never includes the key.
import { AidevError } from '../errors.js';

export interface ProviderErrorContext {
  /** `anthropic` or `openai`. */
  provider: string;
  model: string;
  baseURL: string;
  /** Env variable of the key, for the hint. */
  keyEnv: string;
  /** Config block, e.g. `ai.anthropic`. */
  configPath: string;
  /** Extra hint for a connection failure (e.g. "is Ollama running?"). */
  connectHint?: string | undefined;
}

interface SdkErrorShape {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  requestID?: unknown;
  apiMessage?: unknown;
  error?: unknown;
  type?: unknown;
}

function serverMessage(error: SdkErrorShape): string {
  if (typeof error.apiMessage === 'string' && error.apiMessage) return error.apiMessage;
  const body = error.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  if (typeof body?.error?.message === 'string') return body.error.message;
  if (typeof body?.message === 'string') return body.message;
  return typeof error.message === 'string' ? error.message : 'unknown error';
}

function errorType(error: SdkErrorShape): string | undefined {
  if (typeof error.type === 'string') return error.type;
  const body = error.error as { type?: unknown; error?: { type?: unknown } } | undefined;
  const type = body?.error?.type ?? body?.type;
  return typeof type === 'string' ? type : undefined;
}

export function toProviderError(value: unknown, ctx: ProviderErrorContext): AidevError {
  if (value instanceof AidevError) return value;
  const error = (value ?? {}) as SdkErrorShape;
  // The OpenAI SDK leaves `name` as "Error" on its subclasses; the class name is what tells them apart.
  const ctorName = (value as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const name =
    typeof error.name === 'string' && error.name !== 'Error'
      ? error.name
      : typeof ctorName === 'string'
        ? ctorName
        : '';
  const where = `${ctx.provider} (${ctx.model} at ${ctx.baseURL})`;
  if (name === 'APIUserAbortError' || name === 'AbortError') {
    return new AidevError('INTERRUPTED', `the ${ctx.provider} call was interrupted`, { cause: value });
  }
  if (name === 'APIConnectionTimeoutError') {
    return new AidevError('TIMEOUT', `${where} did not answer in time`, {
      hint: 'retry later; a very large max_tokens on a slow server can also take this long',
      cause: value,
    });
  }
  const status = typeof error.status === 'number' ? error.status : undefined;
  const requestId = typeof error.requestID === 'string' ? error.requestID : undefined;
  const details = { provider: ctx.provider, model: ctx.model, status, requestId };
  const message = serverMessage(error);
  const fail = (what: string, hint: string): AidevError =>
    new AidevError('PROVIDER_ERROR', `${where}: ${what}`, { hint, cause: value, details });

  if (status === undefined) {
    if (name === 'APIConnectionError' || /fetch failed|ECONNREFUSED|ENOTFOUND/i.test(message)) {
      return fail(
        `cannot connect (${message})`,
        ctx.connectHint ??
          `check the network, or ${ctx.configPath}.base_url if you point it at another server`,
      );
    }
    return fail(
      message,
      errorType(error) === 'overloaded_error'
        ? 'the service is overloaded; retry later'
        : 'retry; if it persists, run with --verbose and report it',
    );
  }
  if (status === 401)
    return fail(
      `the API key was rejected (401: ${message})`,
      `check ${ctx.keyEnv} (or ${ctx.configPath}.api_key); it must be a valid, active key`,
    );
  if (status === 403)
    return fail(
      `permission denied (403: ${message})`,
      `the key in ${ctx.keyEnv} has no access to ${ctx.model}; check the key's workspace or pick another model in ai.model`,
    );
  if (status === 404)
    return fail(
      `model or endpoint not found (404: ${message})`,
      `check ai.model / ${ctx.configPath}.model ("${ctx.model}") and ${ctx.configPath}.base_url`,
    );
  if (status === 429)
    return fail(
      `rate limited (429: ${message}), and retries ran out`,
      'lower ai.rate_limit.concurrency or requests_per_minute, raise the max_retries of the provider, or retry later',
    );
  if (status === 529 || errorType(error) === 'overloaded_error')
    return fail(
      `overloaded (${status}: ${message}), and retries ran out`,
      'the service is busy; retry later (an interrupted run continues with aidev resume <run>)',
    );
  if (status === 400 || status === 413 || status === 422)
    return fail(
      `the request was refused (${status}: ${message})`,
      `check ai.max_tokens and ai.temperature for ${ctx.model}; a too-long prompt also causes this`,
    );
  if (status >= 500) return fail(`server error (${status}: ${message}), and retries ran out`, 'retry later');
  return fail(`HTTP ${status}: ${message}`, 'run with --verbose for the request and response');
}
