// In-repo markdown docs: one page per stable key under the configured folder, e.g. docs/aidev/task/AUTH-123.md.
// Writes go into the checkout the caller names (the run's worktree), so the page lands in the run's own commit.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import type { DocPage, DocsProvider, ProviderContext } from '../../types.js';
import type { LocalDocsConfig } from './config.js';

const MARKER = /^<!-- aidev:page key="([^"]*)" version="(\d+)" -->\n/;

export class LocalDocs implements DocsProvider {
  readonly id = 'local';
  /** Pages go into the run's worktree, so they ship in the run's own commit. */
  readonly writesToWorktree = true;
  readonly #ctx: ProviderContext<LocalDocsConfig>;

  constructor(ctx: ProviderContext<LocalDocsConfig>) {
    this.#ctx = ctx;
  }

  async upsertPage(input: {
    key: string;
    title: string;
    markdown: string;
    cwd?: string | undefined;
  }): Promise<DocPage> {
    const root = input.cwd ?? this.#ctx.repoRoot;
    const path = this.#path(root, input.key);
    const previous = this.#read(path);
    const version = (previous?.version ?? 0) + 1;
    const heading = input.markdown.trimStart().startsWith('# ') ? '' : `# ${input.title}\n\n`;
    writeFileAtomic(
      path,
      `<!-- aidev:page key="${input.key}" version="${version}" -->\n${heading}${input.markdown.trim()}\n`,
    );
    return { id: input.key, key: input.key, title: input.title, version, url: relative(root, path) };
  }

  async findPage(
    key: string,
    opts: { signal?: AbortSignal; cwd?: string | undefined } = {},
  ): Promise<DocPage | null> {
    const root = opts.cwd ?? this.#ctx.repoRoot;
    const path = this.#path(root, key);
    const found = this.#read(path);
    if (!found) return null;
    const title = /^# (.+)$/m.exec(found.body)?.[1] ?? key;
    return { id: key, key, title, version: found.version, url: relative(root, path) };
  }

  linkFor(key: string): string | null {
    return relative(this.#ctx.repoRoot, this.#path(this.#ctx.repoRoot, key));
  }

  #path(root: string, key: string): string {
    const slug = key
      .split('/')
      .map((part) => part.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^\.+/, ''))
      .filter(Boolean)
      .join('/');
    return join(resolve(root, this.#ctx.settings.path), 'aidev', `${slug || 'page'}.md`);
  }

  #read(path: string): { version: number; body: string } | null {
    if (!existsSync(path)) return null;
    const text = readFileSync(path, 'utf8');
    const match = MARKER.exec(text);
    return { version: match ? Number(match[2]) : 1, body: match ? text.slice(match[0].length) : text };
  }
}
