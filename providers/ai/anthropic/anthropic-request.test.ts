import { describe, expect, it } from 'vitest';
import type { AiMessage, AiRequest } from '../../types.js';
import { toAnthropicParams } from './anthropic-request.js';

const tools = [
  {
    name: 'read_file',
    description: 'Read a file',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
  },
  { name: 'finish', description: 'Finish', inputSchema: { type: 'object' } },
];

function turn(n: number): AiMessage[] {
  return [
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: `t${n}`, name: 'read_file', input: { path: `f${n}.ts` } }],
    },
    { role: 'user', content: [{ type: 'tool_result', toolUseId: `t${n}`, content: `contents ${n}` }] },
  ];
}

function breakpoints(params: object): number {
  return (JSON.stringify(params).match(/"cache_control"/g) ?? []).length;
}

describe('toAnthropicParams', () => {
  it('marks the system prompt, the last tool and the last block of the conversation', () => {
    const request: AiRequest = {
      system: 'rules',
      tools,
      maxTokens: 1000,
      messages: [{ role: 'user', content: 'task' }, ...turn(1)],
    };
    const params = toAnthropicParams(request, 'claude-sonnet-4-5', 1000);
    expect(params.system).toEqual([{ type: 'text', text: 'rules', cache_control: { type: 'ephemeral' } }]);
    expect(params.tools![0]).not.toHaveProperty('cache_control');
    expect(params.tools![1]).toHaveProperty('cache_control', { type: 'ephemeral' });
    expect(params.messages.at(-1)!.content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: 'contents 1', cache_control: { type: 'ephemeral' } },
    ]);
    expect(params.messages[0]!.content).toEqual([{ type: 'text', text: 'task' }]);
    expect(breakpoints(params)).toBe(3);
  });

  it('serialises the stable prefix first and max_tokens after the messages', () => {
    const params = toAnthropicParams(
      {
        system: 's',
        tools,
        maxTokens: 10,
        temperature: 0.2,
        toolChoice: { type: 'auto' },
        messages: [{ role: 'user', content: 'x' }],
      },
      'm',
      10,
    );
    expect(Object.keys(params)).toEqual([
      'model',
      'system',
      'tools',
      'tool_choice',
      'messages',
      'max_tokens',
      'temperature',
    ]);
  });

  it('adds a fourth breakpoint only when a turn is too long for the cache lookback, and never more than four', () => {
    const wide: AiMessage[] = [
      {
        role: 'assistant',
        content: Array.from({ length: 12 }, (_, i) => ({
          type: 'tool_use' as const,
          id: `w${i}`,
          name: 'read_file',
          input: {},
        })),
      },
      {
        role: 'user',
        content: Array.from({ length: 12 }, (_, i) => ({
          type: 'tool_result' as const,
          toolUseId: `w${i}`,
          content: 'x',
        })),
      },
    ];
    const request: AiRequest = {
      system: 's',
      tools,
      maxTokens: 10,
      messages: [{ role: 'user', content: 'task' }, ...turn(1), ...wide],
    };
    const params = toAnthropicParams(request, 'm', 10);
    expect(breakpoints(params)).toBe(4);
    expect(JSON.stringify(params.messages[2])).toContain('cache_control');
  });

  it('sends no breakpoints when caching is off, and marks tool errors', () => {
    const params = toAnthropicParams(
      {
        system: 's',
        tools,
        maxTokens: 10,
        cache: false,
        messages: [
          { role: 'user', content: 'task' },
          turn(1)[0]!,
          {
            role: 'user',
            content: [{ type: 'tool_result', toolUseId: 't1', content: 'nope', isError: true }],
          },
        ],
      },
      'm',
      10,
    );
    expect(breakpoints(params)).toBe(0);
    expect(params.messages[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: 'nope', is_error: true },
    ]);
  });

  it('keeps earlier turns byte-identical as the conversation grows', () => {
    const history: AiMessage[] = [{ role: 'user', content: 'task' }];
    let previous = '';
    for (let n = 1; n <= 5; n++) {
      history.push(...turn(n));
      const body = JSON.stringify(
        toAnthropicParams({ system: 's', tools, maxTokens: 100 + n, messages: history }, 'm', 100 + n),
      );
      if (previous) {
        const cut = previous.indexOf(',"cache_control":{"type":"ephemeral"}}]}]');
        expect(cut).toBeGreaterThan(0);
        expect(body.startsWith(previous.slice(0, cut))).toBe(true);
      }
      previous = body;
    }
  });
});
