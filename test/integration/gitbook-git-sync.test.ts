// GitBook through Git Sync: the page and its SUMMARY.md entry are written into the run's worktree, committed on the
// run's branch and pushed with it, so they ship with the pull request; a re-run updates the same file and entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitbookDocsConfigSchema } from '../../providers/docs/gitbook/config.js';
import { gitbookDocsProvider } from '../../providers/docs/gitbook/index.js';
import { gitbookToDoc } from '../../providers/docs/shared/gitbook-markdown.js';
import { markdownToDoc } from '../../providers/docs/shared/markdown-in.js';
import { git, tempRepo } from '../helpers/temp.js';
import { providerContext } from '../helpers/provider-context.js';

const SUMMARY = '# Table of contents\n\n* [Introduction](README.md)\n* [Guide](guide.md)\n';

async function setup(settings: Record<string, unknown> = {}) {
  const repo = tempRepo({
    remote: true,
    files: { 'docs/SUMMARY.md': SUMMARY, 'docs/README.md': '# Intro\n' },
  });
  git(repo.dir, 'config', 'user.email', 'test@example.com');
  git(repo.dir, 'config', 'user.name', 'Test');
  git(repo.dir, 'switch', '-q', '-c', 'feature/AUTH-1');
  git(repo.dir, 'push', '-q', 'origin', 'feature/AUTH-1');
  const config = gitbookDocsConfigSchema.parse({ git_sync_path: 'docs', ...settings });
  const docs = await gitbookDocsProvider.create(
    providerContext(config, { repoRoot: repo.dir, path: 'docs.gitbook' }),
  );
  return { repo, docs };
}

describe('docs.gitbook through Git Sync', () => {
  it('writes the page and its SUMMARY.md entry, commits them on the run branch and pushes them with it', async () => {
    const { repo, docs } = await setup({ site_url: 'https://docs.acme.test' });
    expect(docs.writesToWorktree).toBe(true);
    const markdown = '# Summary\n\n- [x] done\n\n```ts\nx\n```';
    const page = await docs.upsertPage({
      key: 'task/AUTH-1',
      title: 'AUTH-1: Login',
      markdown,
      cwd: repo.dir,
    });
    expect(page).toEqual({
      id: 'aidev/task/auth-1.md',
      key: 'task/AUTH-1',
      title: 'AUTH-1: Login',
      version: 1,
      url: 'https://docs.acme.test/aidev/task/auth-1',
    });
    const file = readFileSync(join(repo.dir, 'docs/aidev/task/auth-1.md'), 'utf8');
    expect(gitbookToDoc(file)).toEqual({
      title: 'AUTH-1: Login',
      doc: markdownToDoc('## Summary\n\n- [x] done\n\n```ts\nx\n```'),
    });
    expect(readFileSync(join(repo.dir, 'docs/SUMMARY.md'), 'utf8')).toBe(
      `${SUMMARY}\n## aidev\n\n* [AUTH-1: Login](aidev/task/auth-1.md)\n`,
    );
    expect(git(repo.remote!, 'log', '-1', '--format=%s', 'feature/AUTH-1')).toBe(
      'docs: AUTH-1: Login (GitBook page by aidev)',
    );
    expect(git(repo.remote!, 'ls-tree', '-r', '--name-only', 'feature/AUTH-1')).toContain(
      'docs/aidev/task/auth-1.md',
    );
    expect(git(repo.dir, 'status', '--porcelain')).toBe('');
  });

  it('a re-run updates the same file and entry; the same text again makes no commit', async () => {
    const { repo, docs } = await setup();
    await docs.upsertPage({ key: 'task/AUTH-1', title: 'AUTH-1: Login', markdown: 'v1', cwd: repo.dir });
    await docs.upsertPage({ key: 'task/AUTH-2', title: 'AUTH-2', markdown: 'other', cwd: repo.dir });
    const second = await docs.upsertPage({
      key: 'task/AUTH-1',
      title: 'AUTH-1: Sign in',
      markdown: 'v2',
      cwd: repo.dir,
    });
    expect(second).toMatchObject({ version: 2, url: 'docs/aidev/task/auth-1.md' });
    const commits = git(repo.dir, 'rev-list', '--count', 'HEAD');
    const third = await docs.upsertPage({
      key: 'task/AUTH-1',
      title: 'AUTH-1: Sign in',
      markdown: 'v2',
      cwd: repo.dir,
    });
    expect(third.version).toBe(2);
    expect(git(repo.dir, 'rev-list', '--count', 'HEAD')).toBe(commits);
    const summary = readFileSync(join(repo.dir, 'docs/SUMMARY.md'), 'utf8');
    expect(summary.match(/aidev\/task\/auth-1\.md/g)).toHaveLength(1);
    expect(summary).toContain('* [AUTH-1: Sign in](aidev/task/auth-1.md)\n* [AUTH-2](aidev/task/auth-2.md)');
    expect(await docs.findPage('task/AUTH-1', { cwd: repo.dir })).toMatchObject({
      title: 'AUTH-1: Sign in',
      version: 2,
    });
    expect(git(repo.remote!, 'rev-parse', 'feature/AUTH-1')).toBe(git(repo.dir, 'rev-parse', 'HEAD'));
  });

  it("before the branch is pushed, leaves the page for the run's own commit (one commit per run)", async () => {
    const { repo, docs } = await setup();
    git(repo.dir, 'switch', '-q', '-c', 'feature/LOCAL');
    const head = git(repo.dir, 'rev-parse', 'HEAD');
    await docs.upsertPage({ key: 'task/L', title: 'L', markdown: 'x', cwd: repo.dir });
    expect(git(repo.dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo.dir, 'status', '--porcelain')).toBe('M docs/SUMMARY.md\n?? docs/aidev/'); // (the helper trims the leading space)
    expect(git(repo.remote!, 'branch', '--list', 'feature/LOCAL')).toBe('');
  });

  it('refuses a git_sync_path outside the repository, and a config with neither mode', async () => {
    const { repo, docs } = await setup({ git_sync_path: '../elsewhere' });
    await expect(docs.upsertPage({ key: 'k', title: 't', markdown: 'x', cwd: repo.dir })).rejects.toThrow(
      /points outside the repository/,
    );
    await expect(
      gitbookDocsProvider.create(
        providerContext(gitbookDocsConfigSchema.parse({}), { repoRoot: repo.dir, path: 'docs.gitbook' }),
      ),
    ).rejects.toThrow(/needs git_sync_path or space/);
  });
});
