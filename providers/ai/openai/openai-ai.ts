// The OpenAI provider over Chat Completions (the `openai` package), streamed, with tools. Works with any
// OpenAI-compatible server through base_url (Ollama, vLLM, llama.cpp): those need no key, so a placeholder is sent.
// Chat Completions has no token-count endpoint, so countTokens estimates from characters.
import { OpenAI } from 'openai';
import { toProviderError, type ProviderErrorContext } from '../../../src/core/ai/provider-errors.js';
import { sdkTransport, type AiProviderOptions } from '../../../src/core/ai/retry-after.js';
import { estimateRequestTokens } from '../../../src/core/ai/tokens.js';
import type { AiProvider, AiRequest, AiResponse, AiStreamEvent, ProviderContext } from '../../types.js';
import type { OpenaiConfig } from './config.js';
import { collectStream, toOpenaiParams } from './openai-request.js';

export const DEFAULT_OPENAI_MODEL = 'gpt-4.1';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Sent to servers that ignore keys; the SDK refuses to start without one. */
const NO_KEY = 'no-key-needed';

export type { AiProviderOptions } from '../../../src/core/ai/retry-after.js';

export function isOpenaiHost(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname.endsWith('api.openai.com');
  } catch {
    return false;
  }
}

export class OpenaiAi implements AiProvider {
  readonly id = 'openai';
  readonly model: string;
  readonly maxTokens: number;
  readonly baseURL: string;
  readonly #client: OpenAI;
  readonly #ctx: ProviderContext<OpenaiConfig>;
  readonly #official: boolean;

  constructor(ctx: ProviderContext<OpenaiConfig>, options: AiProviderOptions = {}) {
    this.#ctx = ctx;
    const settings = ctx.settings;
    this.model = settings.model ?? DEFAULT_OPENAI_MODEL;
    this.maxTokens = settings.max_tokens ?? 8192;
    this.baseURL = settings.base_url ?? ctx.runtime.env.OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL;
    this.#official = isOpenaiHost(this.baseURL);
    // api.openai.com needs a key (credential() throws ENV_MISSING); a local server does not.
    const apiKey = this.#official
      ? ctx.credential('api_key', 'OPENAI_API_KEY')
      : (ctx.optionalCredential('api_key', 'OPENAI_API_KEY') ?? NO_KEY);
    this.#client = new OpenAI({
      apiKey,
      baseURL: this.baseURL,
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      ...sdkTransport('openai', settings.max_retries, ctx, options),
    });
  }

  #errorContext(model: string): ProviderErrorContext {
    return {
      provider: 'openai',
      model,
      baseURL: this.baseURL,
      keyEnv: 'OPENAI_API_KEY',
      configPath: this.#ctx.path,
      connectHint: this.#official
        ? undefined
        : `is the server at ${this.baseURL} running? (for Ollama: ollama serve, then ollama pull <model>)`,
    };
  }

  complete(request: AiRequest, opts: { signal?: AbortSignal } = {}): Promise<AiResponse> {
    return this.stream(request, { ...opts, onEvent: () => {} });
  }

  async stream(
    request: AiRequest,
    opts: { signal?: AbortSignal; onEvent: (event: AiStreamEvent) => void },
  ): Promise<AiResponse> {
    const model = request.model ?? this.model;
    const params = toOpenaiParams(
      { ...request, temperature: request.temperature ?? this.#ctx.settings.temperature },
      model,
      request.maxTokens,
      { completionTokensParam: this.#official },
    );
    try {
      const chunks = await this.#client.chat.completions.create(
        params,
        opts.signal ? { signal: opts.signal } : undefined,
      );
      return await collectStream(chunks, model, () => estimateRequestTokens(request), opts.onEvent);
    } catch (error) {
      throw toProviderError(error, this.#errorContext(model));
    }
  }

  countTokens(request: AiRequest): Promise<number> {
    return Promise.resolve(estimateRequestTokens(request));
  }
}
