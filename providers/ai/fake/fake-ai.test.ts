import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testProviderContext } from '../../../test/helpers/ai-kit.js';
import { estimateRequestTokens } from '../../../src/core/ai/tokens.js';
import type { AiRequest, AiStreamEvent } from '../../types.js';
import { fakeAiConfigSchema } from './config.js';
import { createFakeAi, FakeAi } from './fake-ai.js';

const request: AiRequest = {
  system: 'You are terse.',
  messages: [{ role: 'user', content: 'Fix the bug in sync.ts' }],
  maxTokens: 1000,
};

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'aidev-fake-'));
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function fromFile(
  lines: string[],
  env: Record<string, string> = {},
  settings: Record<string, unknown> = { responses: 'script.jsonl' },
): FakeAi {
  writeFileSync(join(repo, 'script.jsonl'), lines.join('\n'));
  return new FakeAi(
    testProviderContext(fakeAiConfigSchema.parse(settings), { path: 'ai.fake', env, repoRoot: repo }),
  );
}

describe('FakeAi', () => {
  it('replays the long form and both shorthands, in order, streaming text and tool calls', async () => {
    const ai = fromFile([
      '# a comment, then a blank line',
      '',
      '{"content":[{"type":"text","text":"Reading."},{"type":"tool_use","id":"t1","name":"read_file","input":{"path":"sync.ts"}}],"stop_reason":"tool_use","usage":{"input_tokens":120,"output_tokens":30,"cache_read_input_tokens":7}}',
      '{"tool":"write_file","input":{"path":"sync.ts","content":"x"}}',
      '{"text":"Done."}',
    ]);
    const events: AiStreamEvent[] = [];
    const first = await ai.stream(request, { onEvent: (e) => events.push(e) });
    expect(first).toMatchObject({
      model: 'fake-model',
      stopReason: 'tool_use',
      content: [
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'sync.ts' } },
      ],
      usage: { inputTokens: 120, outputTokens: 30, cacheReadTokens: 7, cacheWriteTokens: 0 },
    });
    expect(events).toEqual([
      { type: 'text', text: 'Reading.' },
      { type: 'tool_use', name: 'read_file', id: 't1' },
    ]);
    const second = await ai.complete(request);
    expect(second.stopReason).toBe('tool_use');
    expect(second.content[0]).toMatchObject({ type: 'tool_use', id: 'toolu_fake_2_0', name: 'write_file' });
    expect(await ai.complete(request)).toMatchObject({
      stopReason: 'end_turn',
      content: [{ type: 'text', text: 'Done.' }],
    });
    expect(ai.remaining).toBe(0);
    expect(ai.requests).toHaveLength(3);
  });

  it('computes usage from the request size when the script gives none, and never bills past max_tokens', async () => {
    const ai = createFakeAi([{ text: 'short' }, { text: 'long answer', usage: { output_tokens: 5000 } }]);
    const a = await ai.complete(request);
    expect(a.usage.inputTokens).toBe(estimateRequestTokens(request));
    expect(a.usage.outputTokens).toBe(Math.ceil('short'.length / 4));
    const b = await ai.complete({ ...request, maxTokens: 300 });
    expect(b).toMatchObject({ stopReason: 'max_tokens', usage: { outputTokens: 300 } });
  });

  it('takes delay_ms to answer, and an abort during the wait interrupts the call', async () => {
    vi.useFakeTimers();
    try {
      const ai = createFakeAi([
        { text: 'slow', delay_ms: 2000 },
        { text: 'cut off', delay_ms: 2000 },
      ]);
      let settled = false;
      const slow = ai.complete(request).then((r) => ((settled = true), r));
      await vi.advanceTimersByTimeAsync(1999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await slow).content).toEqual([{ type: 'text', text: 'slow' }]);
      const controller = new AbortController();
      const cut = ai.complete(request, { signal: controller.signal });
      controller.abort();
      await expect(cut).rejects.toMatchObject({ code: 'INTERRUPTED' });
    } finally {
      vi.useRealTimers();
    }
    expect(() => createFakeAi([{ text: 'x', delay_ms: -1 }])).toThrow(/"delay_ms" must be a whole number/);
  });

  it('fails clearly when the script runs out', async () => {
    const ai = createFakeAi([{ text: 'only one' }], { source: 'demo' });
    await ai.complete(request);
    await expect(ai.complete(request)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: "the fake model's script ran out: demo has 1 response, and call 2 asked for another",
    });
  });

  it('prefers AIDEV_FAKE_RESPONSES (--fake-responses) over the config file', async () => {
    writeFileSync(join(repo, 'other.jsonl'), '{"text":"from the flag"}\n');
    const ai = fromFile(['{"text":"from config"}'], { AIDEV_FAKE_RESPONSES: join(repo, 'other.jsonl') });
    expect((await ai.complete(request)).content).toEqual([{ type: 'text', text: 'from the flag' }]);
  });

  it('with AIDEV_FAKE_RECORD, appends every request it answers to that file as JSONL', async () => {
    const ai = fromFile(['{"text":"one"}', '{"text":"two"}'], { AIDEV_FAKE_RECORD: 'requests.jsonl' });
    const log = join(repo, 'requests.jsonl');
    expect(existsSync(log)).toBe(false);
    await ai.complete(request);
    await ai.complete({ ...request, messages: [{ role: 'user', content: 'And the tests' }] });
    await expect(ai.complete(request)).rejects.toThrow(/ran out/);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as AiRequest).messages[0]!.content)).toEqual([
      'Fix the bug in sync.ts',
      'And the tests',
    ]);
  });

  it('names the file and line of a bad script, and asks for a script when none is set', () => {
    expect(() => fromFile(['{"text":"ok"}', '{not json'])).toThrow(/script\.jsonl:2: not valid JSON/);
    expect(() => fromFile(['{"usage":{"input_tokens":1}}'])).toThrow(
      /script\.jsonl:1: the response has no "content", "text" or "tool"/,
    );
    expect(() => fromFile(['{"text":"x","usage":{"output_tokens":-1}}'])).toThrow(
      /usage\.output_tokens must be a whole number/,
    );
    expect(() => fromFile(['{"text":"x"}'], {}, {})).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', hint: expect.stringContaining('--fake-responses') }),
    );
    expect(() => fromFile(['{"text":"x"}'], {}, { responses: 'missing.jsonl' })).toThrow(
      /cannot read the fake model's script .*missing\.jsonl \(ENOENT\)/,
    );
  });
});
