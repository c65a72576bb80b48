// The scripted model: replays responses in order from a JSONL file (ai.fake.responses, or AIDEV_FAKE_RESPONSES which
// --fake-responses sets) or from memory (aidev demo, tests). No key, no network, but real usage numbers, so the
// budget guard, ledger and cost reports behave as they would with a real model. AIDEV_FAKE_RECORD=<file> appends
// every request it receives to that file as JSONL, so a test driving the real binary can see what the model was asked.
import { appendFileSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { estimateContentTokens, estimateRequestTokens } from '../../../src/core/ai/tokens.js';
import { AidevError } from '../../../src/core/errors.js';
import type {
  AiContentBlock,
  AiProvider,
  AiRequest,
  AiResponse,
  AiStreamEvent,
  ProviderContext,
} from '../../types.js';
import type { FakeAiConfig } from './config.js';
import { parseFakeResponse, parseFakeScript, type FakeResponse } from './fake-script.js';

export interface FakeAiScript {
  model: string;
  responses: FakeResponse[];
  /** Where the script came from, for error messages. */
  source: string;
}

function loadScript(ctx: ProviderContext<FakeAiConfig>): FakeAiScript {
  const fromEnv = ctx.runtime.env.AIDEV_FAKE_RESPONSES;
  const file = fromEnv
    ? resolve(ctx.runtime.cwd, fromEnv)
    : ctx.settings.responses
      ? isAbsolute(ctx.settings.responses)
        ? ctx.settings.responses
        : resolve(ctx.repoRoot, ctx.settings.responses)
      : undefined;
  if (!file) {
    throw new AidevError('CONFIG_INVALID', `${ctx.path} has no script of responses to replay`, {
      hint: `set ${ctx.path}.responses: <file.jsonl> in .aidevrc.yaml, or pass --fake-responses <file.jsonl>`,
    });
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AidevError(
      'CONFIG_INVALID',
      `cannot read the fake model's script ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        hint: fromEnv
          ? 'check the --fake-responses path'
          : `check ${ctx.path}.responses (relative to the repository root)`,
        cause: error,
      },
    );
  }
  return { model: ctx.settings.model, responses: parseFakeScript(text, file), source: file };
}

/** Resolves after `ms`, or rejects as interrupted when the signal fires first. */
function after(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AidevError('INTERRUPTED', 'the fake model call was interrupted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class FakeAi implements AiProvider {
  readonly id = 'fake';
  readonly model: string;
  readonly maxTokens = 8192;
  /** Every request received, in order (tests assert on them). */
  readonly requests: AiRequest[] = [];
  readonly #script: FakeAiScript;
  readonly #record: string | undefined;
  #next = 0;

  constructor(ctxOrScript: ProviderContext<FakeAiConfig> | FakeAiScript) {
    this.#script = 'settings' in ctxOrScript ? loadScript(ctxOrScript) : ctxOrScript;
    this.model = this.#script.model;
    const runtime = 'settings' in ctxOrScript ? ctxOrScript.runtime : undefined;
    const record = runtime?.env.AIDEV_FAKE_RECORD;
    this.#record = runtime && record ? resolve(runtime.cwd, record) : undefined;
  }

  get remaining(): number {
    return this.#script.responses.length - this.#next;
  }

  complete(request: AiRequest, opts: { signal?: AbortSignal } = {}): Promise<AiResponse> {
    return this.stream(request, { ...opts, onEvent: () => {} });
  }

  stream(
    request: AiRequest,
    opts: { signal?: AbortSignal; onEvent: (event: AiStreamEvent) => void },
  ): Promise<AiResponse> {
    if (opts.signal?.aborted)
      return Promise.reject(new AidevError('INTERRUPTED', 'the fake model call was interrupted'));
    const index = this.#next;
    const scripted = this.#script.responses[index];
    if (!scripted) {
      const count = this.#script.responses.length;
      return Promise.reject(
        new AidevError(
          'PROVIDER_ERROR',
          `the fake model's script ran out: ${this.#script.source} has ${count} response${count === 1 ? '' : 's'}, and call ${index + 1} asked for another`,
          {
            hint: 'add lines to the script, or find out why the workflow makes more model calls than scripted (--verbose)',
          },
        ),
      );
    }
    this.#next++;
    this.requests.push(request);
    if (this.#record) appendFileSync(this.#record, JSON.stringify(request) + '\n');
    const content: AiContentBlock[] = scripted.content.map((block, i) =>
      block.type === 'tool_use' && !block.id ? { ...block, id: `toolu_fake_${index + 1}_${i}` } : block,
    );
    // A real model never bills more output than max_tokens, however long its answer would have been.
    const wanted = scripted.usage.outputTokens ?? estimateContentTokens(content);
    const outputTokens = Math.min(wanted, request.maxTokens);
    const hasTool = content.some((b) => b.type === 'tool_use');
    const response: AiResponse = {
      model: request.model ?? this.model,
      content,
      stopReason:
        wanted > request.maxTokens
          ? 'max_tokens'
          : (scripted.stopReason ?? (hasTool ? 'tool_use' : 'end_turn')),
      usage: {
        inputTokens: scripted.usage.inputTokens ?? estimateRequestTokens(request),
        outputTokens,
        cacheReadTokens: scripted.usage.cacheReadTokens ?? 0,
        cacheWriteTokens: scripted.usage.cacheWriteTokens ?? 0,
      },
    };
    const deliver = (): AiResponse => {
      for (const block of content) {
        if (block.type === 'text') opts.onEvent({ type: 'text', text: block.text });
        else if (block.type === 'tool_use')
          opts.onEvent({ type: 'tool_use', name: block.name, id: block.id });
      }
      return response;
    };
    return scripted.delayMs ? after(scripted.delayMs, opts.signal).then(deliver) : Promise.resolve(deliver());
  }

  countTokens(request: AiRequest): Promise<number> {
    return Promise.resolve(estimateRequestTokens(request));
  }
}

/** A scripted model from memory: `aidev demo` and tests. Items use the same forms as the JSONL lines. */
export function createFakeAi(
  responses: readonly unknown[],
  options: { model?: string; source?: string } = {},
): FakeAi {
  const source = options.source ?? 'the in-memory script';
  return new FakeAi({
    model: options.model ?? 'fake-model',
    responses: responses.map((item, i) => parseFakeResponse(item, `${source} #${i + 1}`)),
    source,
  });
}
