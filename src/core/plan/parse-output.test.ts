import { describe, expect, it } from 'vitest';
import type { AiContentBlock, AiResponse } from '../../../providers/types.js';
import { extractPlan, isTruncated } from './parse-output.js';

const response = (
  content: AiContentBlock[],
  stopReason: AiResponse['stopReason'] = 'end_turn',
): AiResponse => ({
  model: 'm',
  content,
  stopReason,
  usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
});

describe('extractPlan', () => {
  it('takes the forced tool input as is, with its id for the repair turn', () => {
    const r = extractPlan(
      response([{ type: 'tool_use', id: 't1', name: 'submit_plan', input: { epics: [] } }], 'tool_use'),
      'submit_plan',
    );
    expect(r).toMatchObject({ ok: true, value: { epics: [] }, toolUseId: 't1' });
  });

  it('reads JSON from text, bare or fenced', () => {
    expect(
      extractPlan(
        response([{ type: 'text', text: 'Here it is:\n```json\n{"a": 1}\n```\nDone.' }]),
        'submit_plan',
      ),
    ).toMatchObject({ ok: true, value: { a: 1 } });
    expect(extractPlan(response([{ type: 'text', text: '{"a": [1, 2]}' }]), 'submit_plan')).toMatchObject({
      ok: true,
      value: { a: [1, 2] },
    });
  });

  it('says the answer is prose, quoting how it begins', () => {
    const r = extractPlan(
      response([{ type: 'text', text: 'Sure! A todo app needs accounts, lists and sync.' }]),
      'submit_plan',
    );
    expect(r).toMatchObject({
      ok: false,
      problem:
        'the answer is prose, not a JSON plan (it begins "Sure! A todo app needs accounts, lists and sync.")',
    });
  });

  it('says truncated JSON is truncated, and names max_tokens when that cut it', () => {
    const text =
      '{"project": {"name": "x"}, "epics": [{"key": "E1", "title": "A", "tasks": [{"key": "T1", "tit';
    expect(isTruncated(text)).toBe(true);
    const r = extractPlan(response([{ type: 'text', text }]), 'submit_plan');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(
      /^the JSON is truncated: it stops after \d+ characters with objects still open$/,
    );
    const cut = extractPlan(response([{ type: 'text', text }], 'max_tokens'), 'submit_plan');
    expect(!cut.ok && cut.problem).toContain('(the answer hit max_tokens)');
    const tool = extractPlan(
      response([{ type: 'tool_use', id: 't', name: 'submit_plan', input: {} }], 'max_tokens'),
      'submit_plan',
    );
    expect(!tool.ok && tool.problem).toContain('cut off at the output token limit');
  });

  it('reports a syntax error that is not truncation, and a call to another tool', () => {
    const r = extractPlan(response([{ type: 'text', text: '{"a": 1,, "b": 2}' }]), 'submit_plan');
    expect(!r.ok && r.problem).toMatch(/^the JSON does not parse: /);
    const other = extractPlan(
      response([{ type: 'tool_use', id: 't', name: 'search', input: {} }]),
      'submit_plan',
    );
    expect(!other.ok && other.problem).toBe('the answer called the tool "search" instead of submit_plan');
  });
});
