// The plumbing every Notion call of the docs provider goes through: a client-side pace (Notion's average is three
// requests a second), the shared bounded wait on 429, one retry on Notion's conflict_error, and the mapping of what
// the SDK throws into AidevErrors. Also the page's marker line and id parsing, which need no SDK.
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultRateLimitPolicy, withRateLimit } from '../../shared/rate-limit.js';
import { interruptedError, type VendorHints } from '../shared/http-errors.js';
import { richText, type NotionBlock } from '../shared/notion-out.js';
import { isNotionConflict, notionError, notionRetryAfter } from './errors.js';

type Signal = { signal?: AbortSignal };

const MARKER = /^Maintained by aidev \(page key: (.+), revision (\d+)\)$/;

/** A Notion id from an id or a page URL (the last 32 hex digits). */
export function notionId(value: string): string {
  const hex = /([0-9a-f]{32})(?:[?#].*)?$/i.exec(value.replace(/-/g, ''))?.[1];
  return hex
    ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    : value;
}

export class NotionCaller {
  #nextAt = 0;

  constructor(
    private readonly hints: VendorHints,
    private readonly baseUrl: string,
    private readonly requestsPerSecond: number,
    private readonly now: () => number,
  ) {}

  /** One call: paced, 429s waited out within the bound, one retry on a Notion conflict, errors mapped. */
  async call<T>(action: string, fn: () => Promise<T>, opts: Signal): Promise<T> {
    try {
      return await this.raw(fn, opts);
    } catch (error) {
      const stopped = interruptedError(action, opts.signal, error);
      if (stopped) throw stopped;
      if (!isNotionConflict(error)) throw notionError(error, action, this.hints, this.baseUrl);
      try {
        return await this.raw(fn, opts);
      } catch (again) {
        throw (
          interruptedError(action, opts.signal, again) ?? notionError(again, action, this.hints, this.baseUrl)
        );
      }
    }
  }

  /** Paced and rate-limit aware, errors left as the SDK threw them (for callers that read a 404 themselves). */
  raw<T>(fn: () => Promise<T>, opts: Signal): Promise<T> {
    return withRateLimit(
      async () => {
        await this.#pace(opts);
        return fn();
      },
      notionRetryAfter,
      defaultRateLimitPolicy,
      opts.signal,
    );
  }

  async #pace(opts: Signal): Promise<void> {
    const now = this.now();
    const wait = Math.max(0, this.#nextAt - now);
    this.#nextAt = Math.max(now, this.#nextAt) + 1000 / this.requestsPerSecond;
    if (wait > 0) await sleep(wait, undefined, { signal: opts.signal });
  }
}

export function marker(key: string, revision: number): NotionBlock {
  const [item] = richText([
    { text: `Maintained by aidev (page key: ${key}, revision ${revision})`, marks: { italic: true } },
  ]);
  return {
    object: 'block',
    type: 'paragraph',
    paragraph: { rich_text: [{ ...item!, annotations: { ...item!.annotations, color: 'gray' } }] },
  };
}

export function markerOf(
  block: Record<string, unknown> | undefined,
): { key: string; revision: number } | null {
  const text = ((block?.paragraph as { rich_text?: { plain_text?: string }[] } | undefined)?.rich_text ?? [])
    .map((r) => r.plain_text ?? '')
    .join('');
  const m = MARKER.exec(text);
  return m ? { key: m[1]!, revision: Number(m[2]) } : null;
}
