// Git submodules of a worktree, from .gitmodules: other repositories that a fresh worktree holds as empty folders.
// The agent is told about them and never writes inside them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function submodulePaths(root: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(root, '.gitmodules'), 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm))
    out.push(m[1]!.replace(/^"|"$/g, '').replace(/\/$/, ''));
  return [...new Set(out)].sort();
}
