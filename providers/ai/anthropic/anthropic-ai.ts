// The Anthropic provider: Messages API over @anthropic-ai/sdk, streamed, with tools and prompt caching. The SDK retries
// 429/529/5xx itself (settings.max_retries) and honours retry-after, which cappedRetryFetch bounds. The key comes only
// from ctx.credential (the environment); model, max_tokens and temperature from the settings block, and the engine may
// pass another model per request (AiRequest.model, e.g. from ai.model).
import { Anthropic } from '@anthropic-ai/sdk';
import { toProviderError, type ProviderErrorContext } from '../../../src/core/ai/provider-errors.js';
import { sdkTransport, type AiProviderOptions } from '../../../src/core/ai/retry-after.js';
import { estimateRequestTokens } from '../../../src/core/ai/tokens.js';
import type { AiProvider, AiRequest, AiResponse, AiStreamEvent, ProviderContext } from '../../types.js';
import type { AnthropicConfig } from './config.js';
import {
  fromAnthropicMessage,
  toAnthropicParams,
  toCountParams,
  type AnthropicParams,
} from './anthropic-request.js';

/** The current Sonnet (claude-sonnet-4-5 reaches end of life on 2026-11-30). */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export type { AiProviderOptions } from '../../../src/core/ai/retry-after.js';

export class AnthropicAi implements AiProvider {
  readonly id = 'anthropic';
  readonly model: string;
  readonly maxTokens: number;
  readonly baseURL: string;
  readonly #client: Anthropic;
  readonly #ctx: ProviderContext<AnthropicConfig>;

  constructor(ctx: ProviderContext<AnthropicConfig>, options: AiProviderOptions = {}) {
    this.#ctx = ctx;
    const settings = ctx.settings;
    this.model = settings.model ?? DEFAULT_ANTHROPIC_MODEL;
    this.maxTokens = settings.max_tokens ?? 8192;
    this.baseURL = settings.base_url ?? ctx.runtime.env.ANTHROPIC_BASE_URL ?? DEFAULT_ANTHROPIC_BASE_URL;
    this.#client = new Anthropic({
      apiKey: ctx.credential('api_key', 'ANTHROPIC_API_KEY'),
      baseURL: this.baseURL,
      ...sdkTransport('anthropic', settings.max_retries, ctx, options),
    });
  }

  #errorContext(model: string): ProviderErrorContext {
    return {
      provider: 'anthropic',
      model,
      baseURL: this.baseURL,
      keyEnv: 'ANTHROPIC_API_KEY',
      configPath: this.#ctx.path,
    };
  }

  #params(request: AiRequest) {
    const model = request.model ?? this.model;
    const withTemperature = {
      ...request,
      temperature: request.temperature ?? this.#ctx.settings.temperature,
    };
    return toAnthropicParams(withTemperature, model, request.maxTokens);
  }

  complete(request: AiRequest, opts: { signal?: AbortSignal } = {}): Promise<AiResponse> {
    return this.stream(request, { ...opts, onEvent: () => {} });
  }

  async stream(
    request: AiRequest,
    opts: { signal?: AbortSignal; onEvent: (event: AiStreamEvent) => void },
  ): Promise<AiResponse> {
    const params = this.#params(request);
    try {
      return await this.#streamOnce(params, opts);
    } catch (error) {
      // Some models (Sonnet 5.5) refuse a forced tool; the prompts also ask for the tool, so retry unforced once.
      if (params.tool_choice?.type === 'tool' && isForcedToolRefusal(error)) {
        this.#ctx.logger.debug(
          `anthropic: ${params.model} refused a forced tool choice; retrying with tool_choice auto`,
        );
        try {
          return await this.#streamOnce({ ...params, tool_choice: { type: 'auto' } }, opts);
        } catch (retryError) {
          throw toProviderError(retryError, this.#errorContext(params.model));
        }
      }
      throw toProviderError(error, this.#errorContext(params.model));
    }
  }

  async #streamOnce(
    params: AnthropicParams,
    opts: { signal?: AbortSignal; onEvent: (event: AiStreamEvent) => void },
  ): Promise<AiResponse> {
    const stream = this.#client.messages.stream(params, opts.signal ? { signal: opts.signal } : undefined);
    stream.on('text', (text) => opts.onEvent({ type: 'text', text }));
    stream.on('contentBlock', (block) => {
      if (block.type === 'tool_use') opts.onEvent({ type: 'tool_use', name: block.name, id: block.id });
    });
    return fromAnthropicMessage(await stream.finalMessage());
  }

  /** The count_tokens endpoint; a chars/4 estimate when it fails (a proxy without it, a network blip). */
  async countTokens(request: AiRequest, opts: { signal?: AbortSignal } = {}): Promise<number> {
    const params = this.#params(request);
    try {
      const counted = await this.#client.messages.countTokens(toCountParams(params), {
        maxRetries: Math.min(1, this.#ctx.settings.max_retries),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return counted.input_tokens;
    } catch (error) {
      const mapped = toProviderError(error, this.#errorContext(params.model));
      if (mapped.code === 'INTERRUPTED') throw mapped;
      this.#ctx.logger.debug(
        `anthropic: count_tokens failed (${mapped.message}); estimating from characters`,
      );
      return estimateRequestTokens(request);
    }
  }
}

function isForcedToolRefusal(error: unknown): boolean {
  const { status, message } = (error ?? {}) as { status?: unknown; message?: unknown };
  return status === 400 && typeof message === 'string' && /tool_choice|forc/i.test(message);
}
