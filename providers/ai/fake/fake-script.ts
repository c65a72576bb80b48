// The scripted model's script format: one JSON object per line, either the Messages-API-like long form
// {"content":[…],"stop_reason":"tool_use","usage":{"input_tokens":…,"output_tokens":…}} or the shorthands
// {"text":"…"} and {"tool":"name","input":{…}} (both may appear in one line). Blank lines and # comments are skipped.
// "delay_ms" on any line makes that answer take that long, as a real model's would (benchmarks, Ctrl-C tests).
import { AidevError } from '../../../src/core/errors.js';
import type { AiContentBlock, AiResponse, AiUsage } from '../../types.js';

export interface FakeResponse {
  content: AiContentBlock[];
  stopReason: AiResponse['stopReason'] | undefined;
  /** Missing fields are computed from the request and the content, so budgets still apply. */
  usage: Partial<AiUsage>;
  /** How long the answer takes to arrive (0: at once). */
  delayMs: number;
}

const STOP_REASONS = new Set(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal', 'other']);

function invalid(where: string, what: string): AidevError {
  return new AidevError('CONFIG_INVALID', `${where}: ${what}`, {
    hint: 'each line is {"text":"…"}, {"tool":"name","input":{…}} or {"content":[…],"stop_reason":"…","usage":{…}}',
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toBlock(value: unknown, where: string): AiContentBlock {
  if (!isObject(value)) throw invalid(where, 'a content block must be an object');
  if (value.type === 'text' && typeof value.text === 'string') return { type: 'text', text: value.text };
  if (value.type === 'tool_use' && typeof value.name === 'string') {
    return {
      type: 'tool_use',
      id: typeof value.id === 'string' ? value.id : '',
      name: value.name,
      input: value.input ?? {},
    };
  }
  throw invalid(
    where,
    `unsupported content block ${JSON.stringify(value).slice(0, 80)} (use type "text" with text, or "tool_use" with name and input)`,
  );
}

function toUsage(value: unknown, where: string): Partial<AiUsage> {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalid(where, '"usage" must be an object');
  const usage: Partial<AiUsage> = {};
  const fields: [string, keyof AiUsage][] = [
    ['input_tokens', 'inputTokens'],
    ['output_tokens', 'outputTokens'],
    ['cache_read_input_tokens', 'cacheReadTokens'],
    ['cache_creation_input_tokens', 'cacheWriteTokens'],
  ];
  for (const [wire, key] of fields) {
    const n = value[wire];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw invalid(where, `usage.${wire} must be a whole number ≥ 0`);
    usage[key] = n;
  }
  return usage;
}

export function parseFakeResponse(value: unknown, where: string): FakeResponse {
  if (!isObject(value)) throw invalid(where, 'expected a JSON object');
  const content: AiContentBlock[] = [];
  if (value.content !== undefined) {
    if (!Array.isArray(value.content)) throw invalid(where, '"content" must be an array of blocks');
    content.push(...value.content.map((block) => toBlock(block, where)));
  }
  if (value.text !== undefined) {
    if (typeof value.text !== 'string') throw invalid(where, '"text" must be a string');
    content.push({ type: 'text', text: value.text });
  }
  if (value.tool !== undefined) {
    if (typeof value.tool !== 'string') throw invalid(where, '"tool" must be the tool name');
    content.push({
      type: 'tool_use',
      id: typeof value.id === 'string' ? value.id : '',
      name: value.tool,
      input: value.input ?? {},
    });
  }
  if (!content.length) throw invalid(where, 'the response has no "content", "text" or "tool"');
  const stop = value.stop_reason;
  if (stop !== undefined && (typeof stop !== 'string' || !STOP_REASONS.has(stop)))
    throw invalid(where, `"stop_reason" must be one of ${[...STOP_REASONS].join(', ')}`);
  const delay = value.delay_ms ?? 0;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 600_000)
    throw invalid(where, '"delay_ms" must be a whole number of milliseconds from 0 to 600000');
  return {
    content,
    stopReason: stop as AiResponse['stopReason'] | undefined,
    usage: toUsage(value.usage, where),
    delayMs: delay,
  };
}

export function parseFakeScript(text: string, source: string): FakeResponse[] {
  const responses: FakeResponse[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw invalid(`${source}:${index + 1}`, `not valid JSON (${(error as Error).message})`);
    }
    responses.push(parseFakeResponse(value, `${source}:${index + 1}`));
  });
  if (!responses.length) throw invalid(source, 'the script holds no responses');
  return responses;
}
