// A prompt given as a file rather than a template name (`ai: {prompt: ./prompts/my_prompt.txt}`, the specification's
// `prompt_template:`): where such a path is looked for, and the Jinja-style comments its text may carry. Rendering
// stays in prompts.ts, so a file goes through the same strict Handlebars pipeline as prompts/*.hbs.
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';

/** A template name is a bare word; anything else (a slash, a dot, an extension) is a file path. */
const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function isPromptPath(ref: string): boolean {
  return !TEMPLATE_NAME.test(ref);
}

export interface PromptFileLookup {
  /** The file found (absolute), or undefined. */
  file: string | undefined;
  /** Every place looked at, in order, for the error message. */
  tried: string[];
  /** A candidate that exists but lies outside the folders a workflow may read prompts from. */
  outside?: string | undefined;
}

/**
 * The folders a relative prompt path is tried against, in order: the workflow file's folder; the folder holding it
 * when that is a `workflows/` folder (the specification keeps prompts/ beside workflows/); the project root.
 */
export function promptBases(workflowFile: string, repoRoot: string): string[] {
  const dir = dirname(resolve(workflowFile));
  const bases = [dir];
  if (basename(dir) === 'workflows') bases.push(dirname(dir));
  bases.push(resolve(repoRoot));
  return [...new Set(bases)];
}

/**
 * Finds a prompt file. A workflow may read prompts only from inside those folders: a workflow file can come from the
 * repository (and run unattended under `aidev watch`), and a prompt is sent to the model, so `../../.ssh/id_rsa`
 * or an absolute path elsewhere must not turn a workflow into a way to ship local files out.
 */
export function findPromptFile(ref: string, workflowFile: string, repoRoot: string): PromptFileLookup {
  const bases = promptBases(workflowFile, repoRoot);
  const tried: string[] = [];
  let outside: string | undefined;
  const candidates = isAbsolute(ref)
    ? [{ path: ref, bases }]
    : bases.map((base) => ({ path: resolve(base, ref), bases: [base] }));
  for (const { path, bases: allowed } of candidates) {
    if (tried.includes(path)) continue;
    tried.push(path);
    if (!isFile(path)) continue;
    if (allowed.some((base) => inside(base, path))) return { file: path, tried };
    outside ??= path;
  }
  return { file: undefined, tried, outside };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Compares real paths, so a symlink inside the project cannot point the read elsewhere. */
function inside(base: string, file: string): boolean {
  let realBase: string;
  let realFile: string;
  try {
    realBase = realpathSync(base);
    realFile = realpathSync(file);
  } catch {
    return false;
  }
  const rel = relative(realBase, realFile);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Drops `{# … #}` comments (Jinja's, which the specification's prompts use; Handlebars would print them). The
 * newlines inside a comment are kept so that an error's line number still matches the file. `{{#if}}` is left
 * alone: a comment's `{#` is never preceded by another `{`.
 */
export function dropJinjaComments(text: string): string {
  return text.replace(/(?<!\{)\{#[\s\S]*?#\}/g, (comment) => comment.replace(/[^\n]/g, ''));
}
