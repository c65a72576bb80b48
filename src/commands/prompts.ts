// `aidev prompts list|show <name>`: which prompt template wins for this repository (project override or shipped).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompt, listPrompts, projectPromptDir, type PromptInfo } from '../core/ai/prompts.js';
import { findRepoRoot } from '../core/config/load.js';
import { AidevError } from '../core/errors.js';

export interface PromptsOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface PromptsListResult {
  repoRoot: string;
  /** Where project overrides go. */
  overrideDir: string;
  prompts: PromptInfo[];
}

export interface PromptsShowResult extends PromptInfo {
  text: string;
}

function repoRootOf(cwd: string): string {
  const dir = resolve(cwd);
  return findRepoRoot(dir) ?? dir;
}

export function runPromptsList(options: PromptsOptions): Promise<PromptsListResult> {
  const repoRoot = repoRootOf(options.cwd);
  return Promise.resolve({
    repoRoot,
    overrideDir: projectPromptDir(repoRoot),
    prompts: listPrompts(repoRoot),
  });
}

export function runPromptsShow(options: PromptsOptions & { name: string }): Promise<PromptsShowResult> {
  const repoRoot = repoRootOf(options.cwd);
  const info = findPrompt(options.name, repoRoot);
  if (!info) {
    const known = listPrompts(repoRoot).map((p) => p.name);
    return Promise.reject(
      new AidevError('USAGE', `no prompt template named "${options.name}"`, {
        hint: `run aidev prompts list; known: ${known.join(', ')}`,
      }),
    );
  }
  return Promise.resolve({ ...info, text: readFileSync(info.path, 'utf8') });
}
