// What the model learns about an existing repository before planning: the README and the file tree (paths only,
// from git, so ignored files stay out). Nothing is read outside a git checkout.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../git/repo.js';
import { listFiles } from '../workspace/files.js';

export interface RepoContext {
  root: string;
  readme: string | null;
  files: string[];
  /** Paths left out of `files` beyond the limit. */
  moreFiles: number;
}

const READMES = ['README.md', 'README.markdown', 'README.rst', 'README.txt', 'README', 'readme.md'];

export async function repoContext(
  dir: string,
  options: {
    env: Readonly<Record<string, string | undefined>>;
    readmeChars: number;
    maxFiles: number;
    signal?: AbortSignal | undefined;
  },
): Promise<RepoContext | null> {
  let root: string;
  try {
    root = await repoRoot(dir, { env: options.env, signal: options.signal });
  } catch {
    return null;
  }
  const entries = await listFiles(root, { env: options.env, signal: options.signal }).catch(() => []);
  const paths = entries.map((e) => e.path).filter((p) => !p.startsWith('.aidev/'));
  const readmeName = READMES.find((name) => existsSync(join(root, name)));
  let readme: string | null = null;
  if (readmeName && options.readmeChars > 0) {
    const text = readFileSync(join(root, readmeName), 'utf8');
    readme = text.length > options.readmeChars ? `${text.slice(0, options.readmeChars)}\n…(cut)` : text;
  }
  return {
    root,
    readme,
    files: paths.slice(0, options.maxFiles),
    moreFiles: Math.max(0, paths.length - options.maxFiles),
  };
}
