// A minimal agent loop for the AI-layer tests and the cache bench: the shape of the real coding agent's traffic
// (system prompt, a fixed tool set, a growing conversation of tool calls and results), without its tools.
import type { AiContentBlock, AiMessage, AiRequest, AiResponse, AiTool } from '../../providers/types.js';

const path = { type: 'string', description: 'Path relative to the worktree' };

export const AGENT_TOOLS: AiTool[] = [
  {
    name: 'read_file',
    description: 'Read a text file from the worktree. Returns its content with line numbers.',
    inputSchema: {
      type: 'object',
      properties: { path, start_line: { type: 'integer' }, end_line: { type: 'integer' } },
      required: ['path'],
    },
  },
  {
    name: 'write_file',
    description: 'Create or overwrite a file in the worktree with the given content.',
    inputSchema: {
      type: 'object',
      properties: { path, content: { type: 'string' } },
      required: ['path', 'content'],
    },
  },
  {
    name: 'edit_file',
    description: 'Replace one exact occurrence of old_text with new_text in a file.',
    inputSchema: {
      type: 'object',
      properties: { path, old_text: { type: 'string' }, new_text: { type: 'string' } },
      required: ['path', 'old_text', 'new_text'],
    },
  },
  {
    name: 'list_files',
    description: 'List files under a directory, respecting .gitignore.',
    inputSchema: { type: 'object', properties: { path, depth: { type: 'integer' } } },
  },
  {
    name: 'search',
    description: 'Search the worktree with a regular expression (ripgrep).',
    inputSchema: {
      type: 'object',
      properties: { pattern: { type: 'string' }, glob: { type: 'string' } },
      required: ['pattern'],
    },
  },
  {
    name: 'run_command',
    description: 'Run an allowed command (tests, linters) in the sandbox; returns exit code and output.',
    inputSchema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
  {
    name: 'finish',
    description: 'End the task with a summary of what changed and how it was verified.',
    inputSchema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] },
  },
];

/** About 2 KB of plausible source, different per turn. */
export function fakeFile(turn: number): string {
  const lines = [`// src/module-${turn}.ts`, `import { helper } from './helper-${turn}.js';`, ''];
  for (let i = 0; i < 40; i++)
    lines.push(`export function step${turn}_${i}(input: number): number { return helper(input) + ${i}; }`);
  return lines.join('\n');
}

export interface ToyAgentOptions {
  complete(request: Omit<AiRequest, 'maxTokens'> & { maxTokens?: number }): Promise<AiResponse>;
  system: string;
  task: string;
  turns: number;
  tools?: AiTool[];
  toolResult?: (call: Extract<AiContentBlock, { type: 'tool_use' }>, turn: number) => string;
}

export async function runToyAgent(
  options: ToyAgentOptions,
): Promise<{ turns: number; finished: boolean; messages: AiMessage[] }> {
  const messages: AiMessage[] = [{ role: 'user', content: options.task }];
  for (let turn = 1; turn <= options.turns; turn++) {
    const response = await options.complete({
      system: options.system,
      tools: options.tools ?? AGENT_TOOLS,
      messages,
    });
    messages.push({ role: 'assistant', content: response.content });
    const calls = response.content.filter(
      (b): b is Extract<AiContentBlock, { type: 'tool_use' }> => b.type === 'tool_use',
    );
    if (!calls.length || calls.some((c) => c.name === 'finish'))
      return { turns: turn, finished: true, messages };
    messages.push({
      role: 'user',
      content: calls.map((call) => ({
        type: 'tool_result',
        toolUseId: call.id,
        content: options.toolResult?.(call, turn) ?? fakeFile(turn),
      })),
    });
  }
  return { turns: options.turns, finished: false, messages };
}
