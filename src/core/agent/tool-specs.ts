// The agent's tools as the model sees them: names, descriptions and input schemas, built once from zod so that
// validation and the advertised JSON Schema never disagree, and so the tool list is byte-identical every turn
// (part of the stable, cacheable prompt prefix).
import { z } from 'zod';
import type { AiTool } from '../../../providers/types.js';

const line = z.number().int().min(1);

export const toolInputs = {
  list_files: z.strictObject({
    path: z
      .string()
      .optional()
      .describe('Folder to list, relative to the repository root (default: everything)'),
    pattern: z.string().optional().describe('Glob the paths must match, e.g. "src/**/*.ts" or "*.md"'),
    limit: z.number().int().min(1).max(2000).optional().describe('At most this many paths (default 300)'),
  }),
  read_file: z.strictObject({
    path: z.string().describe('File to read, relative to the repository root'),
    start_line: line.optional().describe('First line to return (1-based, default 1)'),
    end_line: line.optional().describe('Last line to return (inclusive)'),
  }),
  search: z.strictObject({
    pattern: z
      .string()
      .min(1)
      .describe('Regular expression (ripgrep syntax), or a plain string with fixed_strings'),
    path: z.string().optional().describe('Folder or file to search in (default: the whole repository)'),
    glob: z.string().optional().describe('Only files matching this glob, e.g. "*.py"'),
    fixed_strings: z.boolean().optional().describe('Treat the pattern as a literal string'),
    ignore_case: z.boolean().optional(),
    max_results: z.number().int().min(1).max(500).optional().describe('Default 100'),
  }),
  write_file: z.strictObject({
    path: z
      .string()
      .describe('File to create or replace, relative to the repository root (folders are created)'),
    content: z.string().describe('The whole new content of the file'),
  }),
  edit_file: z.strictObject({
    path: z.string().describe('File to edit, relative to the repository root'),
    old_string: z
      .string()
      .describe(
        'Exact text to replace; it must occur exactly once in the file (include surrounding lines to make it unique)',
      ),
    new_string: z.string().describe('The replacement text'),
  }),
  run_command: z.strictObject({
    command: z
      .string()
      .min(1)
      .describe(
        'A shell command from the allowed list (the checks, read-only git), run in the repository root',
      ),
  }),
  finish: z.strictObject({
    summary: z
      .string()
      .min(1)
      .describe('What you changed and why, how you verified it, and anything a reviewer should look at'),
  }),
} as const;

export type ToolName = keyof typeof toolInputs;
export type ToolInput<N extends ToolName> = z.infer<(typeof toolInputs)[N]>;

const descriptions: Record<ToolName, string> = {
  list_files:
    'List files of the repository (respecting .gitignore), with sizes. Binary and huge files are marked and cannot be read.',
  read_file:
    'Read a text file, with line numbers ("12\\tcode"). Use start_line/end_line for long files. Line numbers are not part of the file.',
  search: 'Search file contents with ripgrep; returns "path:line: text" matches.',
  write_file: 'Create a file, or replace a whole file. Prefer edit_file for changes to existing files.',
  edit_file:
    'Replace one exact occurrence of old_string with new_string in a file. Fails if old_string occurs zero times or more than once.',
  run_command:
    'Run a shell command (tests, linters, read-only git) with a timeout; returns its exit code and output. Other commands are refused.',
  finish:
    'Call once when the task is done (or you cannot go further), with a summary. The checks then run; if they fail you get their output back.',
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema) as Record<string, unknown>;
  delete out.$schema;
  // zod writes Number.MAX_SAFE_INTEGER as an explicit maximum for every int: noise in every request.
  return JSON.parse(
    JSON.stringify(out, (_k, v: unknown) => (v === Number.MAX_SAFE_INTEGER ? undefined : v)),
  ) as Record<string, unknown>;
}

export const TOOL_NAMES = Object.keys(toolInputs) as ToolName[];

export const AGENT_TOOLS: readonly AiTool[] = TOOL_NAMES.map((name) => ({
  name,
  description: descriptions[name],
  inputSchema: jsonSchema(toolInputs[name]),
}));

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(toolInputs, name);
}
