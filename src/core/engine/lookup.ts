// Finds workflows by name: `.aidev/workflows/<name>.yaml` in the repository first, then the folders in
// `workflows.paths`, then the shipped ones. A path (or a name ending in .yaml) is read as a file. The specification's
// names of the shipped workflows (`standard_dev_workflow`…) find them unless a file of that very name exists.
import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { closest } from '../config/issues.js';
import { AidevError } from '../errors.js';
import { shippedDir } from '../paths.js';
import type { WorkflowDef } from './types.js';

export interface WorkflowEntry {
  name: string;
  file: string;
  source: WorkflowDef['source'];
  /** Files of the same name that this one hides (lower in the search order). */
  shadows: string[];
}

export interface LookupOptions {
  repoRoot: string;
  /** `workflows.paths`, relative to the repository. */
  paths?: readonly string[] | undefined;
  /** Overrides the shipped folder (tests). */
  shippedDir?: string | undefined;
}

const EXTENSIONS = ['.yaml', '.yml'];

/** The specification's workflow names → aidev's (its config.yaml says `workflows.default: standard_dev_workflow`). */
export const WORKFLOW_ALIASES: Readonly<Record<string, string>> = {
  standard_dev_workflow: 'standard_dev',
  hotfix_workflow: 'hotfix',
  documentation_only_workflow: 'documentation_only',
};

function searchDirs(options: LookupOptions): { dir: string; source: WorkflowDef['source'] }[] {
  return [
    { dir: join(options.repoRoot, '.aidev', 'workflows'), source: 'project' as const },
    ...(options.paths ?? []).map((p) => ({
      dir: isAbsolute(p) ? p : resolve(options.repoRoot, p),
      source: 'project' as const,
    })),
    { dir: options.shippedDir ?? shippedDir('workflows'), source: 'shipped' as const },
  ];
}

export function listWorkflows(options: LookupOptions): WorkflowEntry[] {
  const byName = new Map<string, WorkflowEntry>();
  for (const { dir, source } of searchDirs(options)) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!EXTENSIONS.includes(extname(file))) continue;
      const name = basename(file, extname(file));
      const path = join(dir, file);
      const found = byName.get(name);
      if (found) found.shadows.push(path);
      else byName.set(name, { name, file: path, source, shadows: [] });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A name or a file path → the file to load and where it came from. */
export function resolveWorkflow(nameOrFile: string, options: LookupOptions & { cwd: string }): WorkflowEntry {
  const looksLikeFile = nameOrFile.includes('/') || EXTENSIONS.includes(extname(nameOrFile));
  if (looksLikeFile) {
    const file = resolve(options.cwd, nameOrFile);
    if (!existsSync(file)) {
      throw new AidevError('WORKFLOW_INVALID', `no workflow file ${file}`, {
        hint: '`aidev workflow list` shows the workflows it can find',
      });
    }
    return { name: basename(file, extname(file)), file, source: 'file', shadows: [] };
  }
  const all = listWorkflows(options);
  const found = all.find((w) => w.name === nameOrFile);
  if (found) return found;
  const alias = Object.hasOwn(WORKFLOW_ALIASES, nameOrFile) ? WORKFLOW_ALIASES[nameOrFile] : undefined;
  const aliased = alias !== undefined ? all.find((w) => w.name === alias) : undefined;
  if (aliased) return aliased;
  const guess = closest(
    nameOrFile,
    all.map((w) => w.name),
  );
  throw new AidevError(
    'WORKFLOW_INVALID',
    `no workflow named "${nameOrFile}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
    {
      hint: `known: ${all.map((w) => w.name).join(', ') || '(none)'}; add your own as .aidev/workflows/${nameOrFile}.yaml`,
    },
  );
}
