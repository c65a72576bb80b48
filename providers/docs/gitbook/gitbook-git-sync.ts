// GitBook through Git Sync: the page is a markdown file in the synced folder (`aidev/<key>.md`) with its entry in
// SUMMARY.md, written into the run's worktree on the run's branch, so it ships with the pull request and GitBook
// publishes it when that branch merges into the synced one. No GitBook token is needed.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { AidevError } from '../../../src/core/errors.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { git, gitOk } from '../../shared/git-cli.js';
import type { DocPage, DocsProvider, ProviderContext } from '../../types.js';
import { docToGitbook, gitbookToDoc } from '../shared/gitbook-markdown.js';
import { markdownToDoc } from '../shared/markdown-in.js';
import { keySlug, type GitbookDocsConfig } from './config.js';
import { upsertSummaryEntry } from './summary.js';

type Opts = { signal?: AbortSignal; cwd?: string | undefined };

export class GitbookGitSync implements DocsProvider {
  readonly id = 'gitbook';
  readonly writesToWorktree = true;
  readonly #ctx: ProviderContext<GitbookDocsConfig>;

  constructor(ctx: ProviderContext<GitbookDocsConfig>) {
    this.#ctx = ctx;
  }

  linkFor(key: string): string | null {
    return this.#url(this.#ctx.repoRoot, this.#pagePath(key));
  }

  async findPage(key: string, opts: Opts = {}): Promise<DocPage | null> {
    const root = opts.cwd ?? this.#ctx.repoRoot;
    const file = join(this.#syncRoot(root), this.#pagePath(key));
    if (!existsSync(file)) return null;
    const title = gitbookToDoc(readFileSync(file, 'utf8')).title ?? key;
    return {
      id: this.#pagePath(key),
      key,
      title,
      url: this.#url(root, this.#pagePath(key)),
      version: await this.#version(root, file, opts),
    };
  }

  async upsertPage(
    input: { key: string; title: string; markdown: string; cwd?: string | undefined },
    opts: Opts = {},
  ): Promise<DocPage> {
    const root = input.cwd ?? this.#ctx.repoRoot;
    const sync = this.#syncRoot(root);
    const path = this.#pagePath(input.key);
    const file = join(sync, path);
    const summaryFile = join(sync, 'SUMMARY.md');
    writeFileAtomic(file, docToGitbook(input.title, markdownToDoc(input.markdown)));
    const summary = existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : null;
    writeFileAtomic(summaryFile, upsertSummaryEntry(summary, input.title, path));
    if (this.#ctx.settings.commit) await this.#commit(root, [file, summaryFile], input.title, opts);
    return {
      id: path,
      key: input.key,
      title: input.title,
      url: this.#url(root, path),
      version: await this.#version(root, file, opts),
    };
  }

  #syncRoot(root: string): string {
    const sync = resolve(root, this.#ctx.settings.git_sync_path!);
    if (relative(root, sync).startsWith('..'))
      throw new AidevError(
        'CONFIG_INVALID',
        `${this.#ctx.path}.git_sync_path points outside the repository`,
        {
          hint: `set ${this.#ctx.path}.git_sync_path to a folder inside the repository, e.g. docs`,
        },
      );
    return sync;
  }

  #pagePath(key: string): string {
    return `aidev/${keySlug(key)}.md`;
  }

  /** The published URL when site_url is set (GitBook drops `.md`), else the file's path in the repository. */
  #url(root: string, path: string): string {
    const site = this.#ctx.settings.site_url;
    if (site) return `${site.replace(/\/+$/, '')}/${path.replace(/\.md$/, '')}`;
    return relative(root, join(this.#syncRoot(root), path));
  }

  /**
   * Before the run's own commit (standard_dev writes in-repo docs there) the files are left for that commit, so the
   * page ships in the run's one commit. Once the run's branch is on the remote (a docs step after the push), the page
   * is committed on it and pushed, so the open pull request picks it up.
   */
  async #commit(root: string, files: string[], title: string, opts: Opts): Promise<void> {
    if ((await git(root, ['rev-parse', '--is-inside-work-tree'], opts)).code !== 0) return;
    const branch = (await git(root, ['symbolic-ref', '--short', 'HEAD'], opts)).stdout.trim();
    if (!branch) return;
    const remote = this.#ctx.gitRemote;
    const onRemote = await git(root, ['ls-remote', '--exit-code', '--heads', remote, branch], opts);
    if (onRemote.code !== 0) return;
    const paths = files.map((f) => relative(root, f));
    const status = await gitOk(root, ['status', '--porcelain', '--', ...paths], opts);
    if (!status) return;
    await gitOk(root, ['add', '--', ...paths], opts);
    await gitOk(
      root,
      ['commit', '--quiet', '-m', `docs: ${title} (GitBook page by aidev)`, '--', ...paths],
      opts,
    );
    const pushed = await git(root, ['push', '--quiet', remote, `HEAD:refs/heads/${branch}`], opts);
    if (pushed.code !== 0)
      throw new AidevError(
        'GIT_ERROR',
        `could not push the GitBook page to ${remote}/${branch}: ${pushed.stderr.trim()}`,
        {
          hint: `the page is committed in ${root}; push the branch yourself, or check access to the remote "${remote}"`,
        },
      );
  }

  /** GitBook keeps no version numbers for synced pages: the page's version is the number of commits that wrote it. */
  async #version(root: string, file: string, opts: Opts): Promise<number> {
    const count = await git(root, ['rev-list', '--count', 'HEAD', '--', relative(root, file)], opts);
    const n = Number(count.stdout.trim());
    return count.code === 0 && n > 0 ? n : 1;
  }
}
