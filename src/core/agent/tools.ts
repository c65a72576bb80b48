// Runs one tool call of the model against the worktree, through the security policy. Whatever goes wrong (an unknown
// tool, arguments that do not parse, a refused path or command, a missing file) comes back as an error result for
// the model to read; only an interruption escapes.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { AidevError, isAbortError } from '../errors.js';
import type { GitOptions } from '../git/client.js';
import { globToRegExp } from '../security/glob.js';
import type { SecurityPolicy } from '../security/policy.js';
import { isBinaryPath, listFiles, looksBinary, withSizes, type FileEntry } from '../workspace/files.js';
import { search } from '../workspace/search.js';
import { applyEdit } from './edit.js';
import { decodeText, encodeText, isLfsPointer } from './file-text.js';
import { isToolName, TOOL_NAMES, toolInputs, type ToolInput, type ToolName } from './tool-specs.js';

export interface ToolEnv {
  policy: SecurityPolicy;
  git: GitOptions;
  signal: AbortSignal;
  /** Characters of output kept per call (agent.output_limit). */
  outputLimit: number;
  maxFileBytes: number;
  commandTimeoutMs: number;
  blockedGlobs: readonly string[];
  onCommandLine?: ((line: string) => void) | undefined;
  /** Paths written or edited so far (relative). */
  changed: Set<string>;
  /** Git submodule paths: other repositories, never written. */
  submodules?: readonly string[] | undefined;
}

function inSubmodule(rel: string, env: ToolEnv): string | undefined {
  return env.submodules?.find((m) => rel === m || rel.startsWith(`${m}/`));
}

const LFS_REFUSAL = (rel: string): string =>
  `${rel} is a Git LFS pointer (the real content is stored outside git); it cannot be edited as text`;

export interface ToolOutcome {
  content: string;
  isError: boolean;
  /** The policy refused it (audited as a denial). */
  denied?: boolean | undefined;
  /** Set by a valid finish call. */
  finish?: { summary: string } | undefined;
  /** What the audit log keeps of the call: paths and commands, never file contents. */
  audit: Record<string, unknown>;
}

const fail = (content: string, audit: Record<string, unknown> = {}): ToolOutcome => ({
  content,
  isError: true,
  audit,
});

/** Tool input as an object: some providers hand over the raw JSON text when the model wrote invalid JSON. */
function inputObject(raw: unknown): { value: Record<string, unknown> } | { error: string } {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return {
        error: `the tool input is not valid JSON (${(error as Error).message}). Send a JSON object that matches the tool's schema.`,
      };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'the tool input must be a JSON object.' };
  return { value: value as Record<string, unknown> };
}

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
}

function summarizeInput(name: ToolName, input: Record<string, unknown>): Record<string, unknown> {
  const keep: Record<string, unknown> = {};
  for (const key of ['path', 'pattern', 'glob', 'command', 'start_line', 'end_line'])
    if (input[key] !== undefined) keep[key] = input[key];
  if (name === 'write_file' && typeof input.content === 'string')
    keep.bytes = Buffer.byteLength(input.content);
  if (name === 'finish' && typeof input.summary === 'string') keep.summary = input.summary.slice(0, 500);
  return keep;
}

export async function runTool(name: string, rawInput: unknown, env: ToolEnv): Promise<ToolOutcome> {
  if (!isToolName(name))
    return fail(`unknown tool "${name}". The tools are: ${TOOL_NAMES.join(', ')}.`, { tool: name });
  const parsedJson = inputObject(rawInput);
  if ('error' in parsedJson) return fail(`${name}: ${parsedJson.error}`);
  const audit = summarizeInput(name, parsedJson.value);
  const parsed = toolInputs[name].safeParse(parsedJson.value);
  if (!parsed.success) return fail(`${name}: bad arguments: ${zodMessage(parsed.error)}`, audit);
  try {
    const result = await handlers[name](parsed.data as never, env);
    return { ...result, audit: { ...audit, ...result.audit } };
  } catch (error) {
    if (isAbortError(error) || env.signal.aborted) throw error;
    if (error instanceof AidevError && error.code === 'POLICY_DENIED') {
      return {
        content: `refused: ${error.message}${error.hint ? ` (${error.hint})` : ''}`,
        isError: true,
        denied: true,
        audit: { ...audit, reason: error.message },
      };
    }
    if (error instanceof AidevError && (error.code === 'INTERRUPTED' || error.code === 'BUDGET_EXCEEDED'))
      throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file or folder'
        : code === 'EISDIR'
          ? 'that is a folder (use list_files)'
          : (error as Error).message;
    return fail(`${name} failed: ${message}`, { ...audit, error: message });
  }
}

type Handler<N extends ToolName> = (
  input: ToolInput<N>,
  env: ToolEnv,
) => Promise<Omit<ToolOutcome, 'audit'> & { audit?: Record<string, unknown> }>;

function cap(text: string, limit: number, what: string): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n… [${what} cut at ${limit} characters]`;
}

const handlers: { [N in ToolName]: Handler<N> } = {
  async list_files(input, env) {
    const files = await listFiles(env.policy.root, { ...env.git, untracked: true });
    const prefix = input.path ? env.policy.resolvePath(input.path).rel : '';
    const glob = input.pattern ? globToRegExp(input.pattern.replace(/^\.\//, '')) : null;
    const baseGlob = input.pattern && !input.pattern.includes('/');
    const matches = files.filter(
      (f: FileEntry) =>
        !env.policy.isBlocked(f.path) &&
        (!prefix || f.path === prefix || f.path.startsWith(`${prefix}/`)) &&
        (!glob || glob.test(baseGlob ? f.path.slice(f.path.lastIndexOf('/') + 1) : f.path)),
    );
    const limit = input.limit ?? 300;
    const shown = await withSizes(env.policy.root, matches.slice(0, limit), env.maxFileBytes);
    const lines = shown.map(
      (f) => `${f.path} (${f.size ?? '?'} B${f.kind === 'text' ? '' : `, ${f.kind}: not readable`})`,
    );
    if (matches.length > limit) lines.push(`… ${matches.length - limit} more: narrow with path or pattern`);
    return {
      content: lines.length ? lines.join('\n') : 'no files match',
      isError: false,
      audit: { count: matches.length },
    };
  },

  async read_file(input, env) {
    const { abs, rel } = env.policy.resolvePath(input.path);
    const info = await stat(abs);
    if (info.isDirectory())
      return { content: `${rel} is a folder: use list_files with path "${rel}"`, isError: true };
    if (isBinaryPath(rel))
      return { content: `${rel} is a binary file and cannot be read as text`, isError: true };
    const ranged = input.start_line !== undefined || input.end_line !== undefined;
    if (info.size > env.maxFileBytes && !ranged) {
      return {
        content: `${rel} is ${info.size} bytes, over the ${env.maxFileBytes}-byte limit: read a range with start_line and end_line, or use search`,
        isError: true,
      };
    }
    if (info.size > 50 * env.maxFileBytes)
      return { content: `${rel} is too large to read (${info.size} bytes): use search`, isError: true };
    const buffer = await readFile(abs);
    if (looksBinary(buffer))
      return { content: `${rel} is a binary file and cannot be read as text`, isError: true };
    if (isLfsPointer(buffer))
      return {
        content: `${rel} is a Git LFS pointer, not the file's content (that is stored outside git and is not readable here):\n${buffer.toString('utf8')}`,
        isError: false,
        audit: { path: rel, lfs: true },
      };
    const decoded = decodeText(buffer);
    const lines = decoded.text.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const start = input.start_line ?? 1;
    const end = Math.min(input.end_line ?? lines.length, lines.length);
    if (start > Math.max(lines.length, 1))
      return {
        content: `${rel} has ${lines.length} lines; start_line ${start} is past the end`,
        isError: true,
      };
    if (end < start) return { content: `end_line ${end} is before start_line ${start}`, isError: true };
    let out = '';
    let last = start - 1;
    for (let n = start; n <= end; n++) {
      const next = `${n}\t${lines[n - 1]!.replace(/\r$/, '')}\n`;
      if (out.length + next.length > env.outputLimit) break;
      out += next;
      last = n;
    }
    if (last < end)
      out += `… [stopped at line ${last} of ${lines.length}: read on with start_line ${last + 1}]\n`;
    else if (ranged || start > 1) out += `[lines ${start}-${end} of ${lines.length}]\n`;
    if (decoded.encoding === 'latin1')
      out += '[not UTF-8: shown as Latin-1; edits keep the bytes in Latin-1]\n';
    return { content: out || '(empty file)', isError: false, audit: { path: rel } };
  },

  async search(input, env) {
    const target = input.path ? env.policy.resolvePath(input.path).rel : undefined;
    const result = await search({
      root: env.policy.root,
      pattern: input.pattern,
      path: target,
      glob: input.glob,
      fixedStrings: input.fixed_strings,
      ignoreCase: input.ignore_case,
      maxResults: input.max_results,
      blockedGlobs: env.blockedGlobs,
      signal: env.signal,
      pathEnv: env.git.env.PATH,
    });
    const lines = result.hits
      .filter((h) => !env.policy.isBlocked(h.path))
      .map((h) => `${h.path}:${h.line}: ${h.text}`);
    if (result.truncated) lines.push('… more matches: narrow with path or glob');
    return {
      content: cap(lines.length ? lines.join('\n') : 'no matches', env.outputLimit, 'results'),
      isError: false,
      audit: { hits: result.hits.length },
    };
  },

  async write_file(input, env) {
    const { abs, rel } = env.policy.resolvePath(input.path);
    if (isBinaryPath(rel))
      return { content: `${rel} is a binary file type; the agent writes text files only`, isError: true };
    const existed = await stat(abs).then(
      (s) => (s.isDirectory() ? 'dir' : 'file'),
      () => null,
    );
    if (existed === 'dir') return { content: `${rel} is a folder`, isError: true };
    const sub = inSubmodule(rel, env);
    if (sub)
      return { content: `${rel} is inside the git submodule ${sub}: leave submodules alone`, isError: true };
    let bytes: Buffer = Buffer.from(input.content, 'utf8');
    if (existed) {
      const old = await readFile(abs);
      if (isLfsPointer(old)) return { content: LFS_REFUSAL(rel), isError: true };
      const encoded = encodeText(input.content, decodeText(old).encoding);
      if ('error' in encoded) return { content: `write_file ${rel}: ${encoded.error}`, isError: true };
      bytes = encoded.bytes;
    }
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, bytes);
    env.changed.add(rel);
    const lines = input.content.split('\n').length;
    return {
      content: `${existed ? 'replaced' : 'created'} ${rel} (${lines} lines)`,
      isError: false,
      audit: { path: rel },
    };
  },

  async edit_file(input, env) {
    const { abs, rel } = env.policy.resolvePath(input.path);
    if (isBinaryPath(rel)) return { content: `${rel} is a binary file and cannot be edited`, isError: true };
    const sub = inSubmodule(rel, env);
    if (sub)
      return { content: `${rel} is inside the git submodule ${sub}: leave submodules alone`, isError: true };
    const info = await stat(abs);
    if (info.size > env.maxFileBytes)
      return {
        content: `${rel} is ${info.size} bytes, over the ${env.maxFileBytes}-byte limit: it is not edited by the agent`,
        isError: true,
      };
    const buffer = await readFile(abs);
    if (looksBinary(buffer))
      return { content: `${rel} is a binary file and cannot be edited`, isError: true };
    if (isLfsPointer(buffer)) return { content: LFS_REFUSAL(rel), isError: true };
    const decoded = decodeText(buffer);
    const result = applyEdit(decoded.text, input.old_string, input.new_string);
    if (!result.ok)
      return { content: `edit_file ${rel}: ${result.error}`, isError: true, audit: { path: rel } };
    const encoded = encodeText(result.text, decoded.encoding);
    if ('error' in encoded) return { content: `edit_file ${rel}: ${encoded.error}`, isError: true };
    await writeFile(abs, encoded.bytes);
    env.changed.add(rel);
    return {
      content: `edited ${rel} at line ${result.line}`,
      isError: false,
      audit: { path: rel, line: result.line },
    };
  },

  async run_command(input, env) {
    const result = await env.policy.runCommand(input.command, {
      timeoutMs: env.commandTimeoutMs,
      outputLimit: env.outputLimit,
      signal: env.signal,
      onLine: env.onCommandLine,
    });
    if (result.aborted) throw new AidevError('INTERRUPTED', 'interrupted while a command was running');
    const status = result.timedOut
      ? `timed out after ${Math.round(env.commandTimeoutMs / 1000)} s (killed)`
      : `exit code ${result.exitCode}`;
    const hint =
      result.exitCode === 127
        ? '\n(the program was not found: it is not installed in this worktree; do not try to install it)'
        : '';
    return {
      content: `${status}\n${result.output}${hint}`,
      isError: result.exitCode !== 0,
      audit: { exitCode: result.exitCode, timedOut: result.timedOut, sandbox: env.policy.sandbox.mode },
    };
  },

  finish(input) {
    return Promise.resolve({ content: 'finishing', isError: false, finish: { summary: input.summary } });
  },
};
