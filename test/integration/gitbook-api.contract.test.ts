// GitBook through the API against a loopback GitBook checked by the OpenAPI document @gitbook/api ships: each write is
// a change request, merged only when `merge: true`; a re-run finds the page by its slug (or its open change request).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitbookDocsConfigSchema } from '../../providers/docs/gitbook/config.js';
import { gitbookDocsProvider } from '../../providers/docs/gitbook/index.js';
import { gitbookToDoc } from '../../providers/docs/shared/gitbook-markdown.js';
import { markdownToDoc } from '../../providers/docs/shared/markdown-in.js';
import { AidevError } from '../../src/core/errors.js';
import { startGitbookFake } from '../helpers/contract/gitbook-fake.js';
import { providerContext } from '../helpers/provider-context.js';

// The package's exports map hides package.json; read it from node_modules.
const VERSION = (
  JSON.parse(
    readFileSync(new URL('../../node_modules/@gitbook/api/package.json', import.meta.url), 'utf8'),
  ) as { version: string }
).version;

async function setup(
  settings: Record<string, unknown> = {},
  env: Record<string, string> = { GITBOOK_TOKEN: 'gb_test' },
) {
  const gitbook = await startGitbookFake();
  const config = gitbookDocsConfigSchema.parse({ space: 'space-1', base_url: gitbook.endpoint, ...settings });
  const ctx = providerContext(config, { repoRoot: '/nonexistent', env, path: 'docs.gitbook' });
  return { gitbook, ctx, docs: await gitbookDocsProvider.create(ctx) };
}

async function failure(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe(`docs.gitbook through the API (@gitbook/api ${VERSION} OpenAPI)`, () => {
  it('with merge: true, inserts the page through a change request, merges it and returns the live page URL', async () => {
    const { gitbook, docs } = await setup({ merge: true });
    const page = await docs.upsertPage({
      key: 'task/AUTH-1',
      title: 'AUTH-1: Login',
      markdown: '## Summary\n\n- [ ] todo',
    });
    const [live] = [...gitbook.live.values()];
    expect(live).toMatchObject({ title: 'AUTH-1: Login', slug: 'task-auth-1' });
    expect(gitbookToDoc(live!.markdown).doc).toEqual(markdownToDoc('## Summary\n\n- [ ] todo'));
    expect(page).toMatchObject({
      id: live!.id,
      version: 1,
      url: 'https://app.gitbook.test/s/space-1/task-auth-1',
    });
    const again = await docs.upsertPage({ key: 'task/AUTH-1', title: 'AUTH-1: Sign in', markdown: 'v2' });
    expect(again).toMatchObject({ id: live!.id, version: 2 });
    expect(gitbook.live.size).toBe(1);
    expect(gitbook.changeRequests.map((c) => c.status)).toEqual(['merged', 'merged']);
  });

  it('without merge, leaves one open change request for review and adds a re-run to it', async () => {
    const { gitbook, docs } = await setup();
    const first = await docs.upsertPage({ key: 'task/AUTH-2', title: 'AUTH-2', markdown: 'v1' });
    expect(first.url).toBe('https://app.gitbook.test/s/space-1/~/changes/1');
    const second = await docs.upsertPage({ key: 'task/AUTH-2', title: 'AUTH-2', markdown: 'v2' });
    expect(second).toMatchObject({ id: first.id, url: first.url, version: 2 });
    expect(gitbook.changeRequests).toHaveLength(1);
    expect(gitbook.live.size).toBe(0);
    expect([...gitbook.changeRequests[0]!.pages.values()][0]!.markdown).toContain('v2');
  });

  it('401 names GITBOOK_TOKEN; 404 names the space; checkAuth reads GET /user', async () => {
    const bad = await setup({}, { GITBOOK_TOKEN: 'wrong' });
    const e1 = await failure(bad.docs.upsertPage({ key: 'k', title: 'T', markdown: 'x' }));
    expect(e1.hint).toMatch(/GITBOOK_TOKEN/);
    const missing = await setup({ space: 'nope' });
    const e2 = await failure(missing.docs.upsertPage({ key: 'k', title: 'T', markdown: 'x' }));
    expect(e2.hint).toMatch(/docs\.gitbook\.space/);
    const { docs } = await setup();
    expect(await (docs as unknown as { checkAuth(): Promise<unknown> }).checkAuth()).toMatchObject({
      ok: true,
      identity: 'dev@example.com',
    });
  });

  it('429 waits for Retry-After within the bound', async () => {
    const { gitbook, docs } = await setup();
    gitbook.failNext('createChangeRequest', 429, 0);
    await docs.upsertPage({ key: 'k', title: 'T', markdown: 'x' });
    expect(gitbook.fake.calls('createChangeRequest').map((c) => c.status)).toEqual([429, 201]);
    gitbook.failNext('listChangeRequestsForSpace', 429, 3600);
    const error = await failure(docs.upsertPage({ key: 'k', title: 'T', markdown: 'y' }));
    expect(error.hint).toMatch(/3600s/);
  });

  it('needs GITBOOK_TOKEN for the API mode', async () => {
    await expect(setup({}, {})).rejects.toThrow(/token/);
  });
});
