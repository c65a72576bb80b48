// The Confluence docs provider against a loopback Confluence whose requests and responses are checked against
// confluence.js' schemas and Atlassian's request shapes (test/helpers/contract/confluence-contract.ts).
import { describe, expect, it } from 'vitest';
import {
  confluenceDocsConfigSchema,
  type ConfluenceDocsConfig,
} from '../../providers/docs/confluence/config.js';
import { ConfluenceDocs, keyLabel } from '../../providers/docs/confluence/confluence-docs.js';
import { AidevError } from '../../src/core/errors.js';
import { CONFLUENCE_JS_VERSION } from '../helpers/contract/confluence-contract.js';
import { startConfluenceFake, type ConfluenceFake } from '../helpers/contract/confluence-fake.js';
import { providerContext } from '../helpers/provider-context.js';

const ENV = { CONFLUENCE_EMAIL: 'dev@example.com', CONFLUENCE_API_TOKEN: 'api-token' };
const MARKDOWN =
  '## Summary\n\n- [ ] check\n- [x] ship\n\n```ts\nconst x = 1;\n```\n\nSee [PR](https://example.com/pr/1) and `npm test`.';

async function setup(settings: Partial<ConfluenceDocsConfig> = {}, env: Record<string, string> = ENV) {
  const confluence = await startConfluenceFake();
  const parent = {
    id: '4000',
    title: 'Engineering',
    spaceId: '1001',
    parentId: null,
    version: 1,
    storage: '',
    labels: [],
    status: 'current' as const,
  };
  confluence.pages.set(parent.id, parent);
  const config = confluenceDocsConfigSchema.parse({
    url: confluence.site,
    space: 'ENG',
    parent_page: '4000',
    labels: ['aidev'],
    ...settings,
  });
  const ctx = providerContext(config, { repoRoot: '/nonexistent', env, path: 'docs.confluence' });
  return { confluence, docs: await ConfluenceDocs.connect(ctx), config, ctx };
}

function ours(confluence: ConfluenceFake) {
  return [...confluence.pages.values()].filter((p) => p.id !== '4000');
}

async function failure(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

describe(`docs.confluence against the Confluence contract (confluence.js ${CONFLUENCE_JS_VERSION})`, () => {
  it('creates the page in the space under the parent, in storage format with the code macro, with labels, and returns its URL', async () => {
    const { confluence, docs } = await setup();
    const page = await docs.upsertPage({ key: 'task/AUTH-1', title: 'AUTH-1: Login', markdown: MARKDOWN });
    const [stored] = ours(confluence);
    expect(stored).toMatchObject({ title: 'AUTH-1: Login', spaceId: '1001', parentId: '4000', version: 1 });
    expect(stored!.storage).toContain(
      '<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">ts</ac:parameter>',
    );
    expect(stored!.storage).toContain(
      '<ac:task-status>complete</ac:task-status><ac:task-body>ship</ac:task-body>',
    );
    expect(stored!.labels.sort()).toEqual(['aidev', keyLabel('task/AUTH-1')].sort());
    expect(page).toEqual({
      id: stored!.id,
      key: 'task/AUTH-1',
      title: 'AUTH-1: Login',
      version: 1,
      url: `${confluence.site}/wiki/spaces/ENG/pages/${stored!.id}/AUTH-1%3A%2BLogin`,
    });
    expect(docs.linkFor('task/AUTH-1')).toBe(page.url);
    expect(await docs.findPage('task/AUTH-1')).toEqual(page);
    expect(confluence.fake.calls('createPage')).toHaveLength(1);
  });

  it('updates the same page with the version incremented, and writes no version when nothing changed', async () => {
    const { confluence, docs } = await setup();
    const first = await docs.upsertPage({ key: 'task/AUTH-1', title: 'AUTH-1: Login', markdown: MARKDOWN });
    const second = await docs.upsertPage({
      key: 'task/AUTH-1',
      title: 'AUTH-1: Login',
      markdown: `${MARKDOWN}\n\nMore.`,
    });
    expect(second).toMatchObject({ id: first.id, version: 2, url: first.url });
    const third = await docs.upsertPage({
      key: 'task/AUTH-1',
      title: 'AUTH-1: Login',
      markdown: `${MARKDOWN}\n\nMore.`,
    });
    expect(third.version).toBe(2);
    expect(ours(confluence)).toHaveLength(1);
    const update = confluence.fake.calls('updatePage')[0]!.body as { version: { number: number } };
    expect(update.version.number).toBe(2);
    expect(confluence.fake.calls('updatePage')).toHaveLength(1);
  });

  it('after a kill between create and the ledger write, a new process finds the page by its title and label and updates it', async () => {
    const { confluence, docs, ctx } = await setup();
    confluence.lagSearch(true);
    await docs.upsertPage({ key: 'task/AUTH-2', title: 'AUTH-2: Logout', markdown: 'v1' });
    const resumed = await ConfluenceDocs.connect(ctx);
    const page = await resumed.upsertPage({ key: 'task/AUTH-2', title: 'AUTH-2: Logout', markdown: 'v2' });
    expect(ours(confluence)).toHaveLength(1);
    expect(page.version).toBe(2);
  });

  it('follows the page id the ledger recorded even when the title changed, and finds it by label from a new process', async () => {
    const { confluence, docs, ctx } = await setup();
    const first = await docs.upsertPage({ key: 'task/AUTH-3', title: 'AUTH-3: Old', markdown: 'v1' });
    const again = await (
      await ConfluenceDocs.connect(ctx)
    ).upsertPage({ key: 'task/AUTH-3', title: 'AUTH-3: New', markdown: 'v1', id: first.id });
    expect(again).toMatchObject({ id: first.id, title: 'AUTH-3: New', version: 2 });
    const viaLabel = await (await ConfluenceDocs.connect(ctx)).findPage('task/AUTH-3');
    expect(viaLabel?.id).toBe(first.id);
    expect(ours(confluence)).toHaveLength(1);
  });

  it('refuses to take over a page of the same title that aidev did not write', async () => {
    const { confluence, docs } = await setup();
    confluence.pages.set('4100', {
      id: '4100',
      title: 'Project plan',
      spaceId: '1001',
      parentId: null,
      version: 3,
      storage: '<p>theirs</p>',
      labels: [],
      status: 'current',
    });
    const error = await failure(docs.upsertPage({ key: 'plan/p-1', title: 'Project plan', markdown: 'x' }));
    expect(error.message).toMatch(/a page titled "Project plan" already exists in Confluence space ENG/);
    expect(error.hint).toContain(keyLabel('plan/p-1'));
    expect(confluence.pages.get('4100')!.storage).toBe('<p>theirs</p>');
  });

  it('a version conflict is re-read and retried once; a second conflict is reported', async () => {
    const { confluence, docs } = await setup();
    const first = await docs.upsertPage({ key: 'task/AUTH-4', title: 'AUTH-4', markdown: 'v1' });
    confluence.raceNextUpdate();
    const second = await docs.upsertPage({ key: 'task/AUTH-4', title: 'AUTH-4', markdown: 'v2' });
    expect(second.version).toBe(3);
    expect(confluence.fake.calls('updatePage').map((c) => c.status)).toEqual([409, 200]);
    confluence.editBehind(first.id);
    confluence.raceNextUpdate();
    confluence.failNext('updatePage', 409);
    const error = await failure(docs.upsertPage({ key: 'task/AUTH-4', title: 'AUTH-4', markdown: 'v3' }));
    expect(error.message).toMatch(/Confluence reported a conflict while trying to update the page "AUTH-4"/);
    expect(error.hint).toMatch(/run the step again/);
  });

  it('401 names the credentials and where to make them', async () => {
    const { docs } = await setup({}, { CONFLUENCE_EMAIL: 'dev@example.com', CONFLUENCE_API_TOKEN: 'wrong' });
    const error = await failure(docs.upsertPage({ key: 'task/A', title: 'A', markdown: 'x' }));
    expect(error.message).toMatch(/Confluence rejected the credentials while trying to find the space ENG/);
    expect(error.hint).toMatch(/CONFLUENCE_API_TOKEN.*id\.atlassian\.com/);
    const auth = await docs.checkAuth();
    expect(auth).toMatchObject({ ok: false, identity: null });
  });

  it('falls back to the JIRA_ credentials, and checkAuth names the account', async () => {
    const { docs } = await setup({}, { JIRA_EMAIL: 'dev@example.com', JIRA_API_TOKEN: 'api-token' });
    expect(await docs.checkAuth()).toMatchObject({ ok: true, identity: 'dev@example.com' });
  });

  it('404s name the setting: an unknown space, a missing parent page', async () => {
    const space = await setup({ space: 'NOPE' });
    const e1 = await failure(space.docs.upsertPage({ key: 'task/A', title: 'A', markdown: 'x' }));
    expect(e1.message).toMatch(/no space with the key NOPE/);
    expect(e1.hint).toMatch(/docs\.confluence\.space/);
    const parent = await setup({ parent_page: '999' });
    const e2 = await failure(parent.docs.upsertPage({ key: 'task/A', title: 'A', markdown: 'x' }));
    expect(e2.hint).toMatch(/docs\.confluence\.parent_page/);
    parent.confluence.failNext('createPage', 403);
    const e3 = await failure(
      parent.docs.upsertPage({ key: 'task/A', title: 'A', markdown: 'x', parent: '4000' }),
    );
    expect(e3.message).toMatch(/permission denied/);
    expect(e3.hint).toMatch(/"Add" \(pages\)/);
  });

  it('429 waits for Retry-After and tries again; a wait over the bound fails at once', async () => {
    const { confluence, docs } = await setup();
    confluence.failNext('createPage', 429, 0);
    const page = await docs.upsertPage({ key: 'task/R', title: 'R', markdown: 'x' });
    expect(page.version).toBe(1);
    expect(confluence.fake.calls('createPage').map((c) => c.status)).toEqual([429, 200]);
    confluence.failNext('updatePage', 429, 3600);
    const error = await failure(docs.upsertPage({ key: 'task/R', title: 'R', markdown: 'y' }));
    expect(error.message).toMatch(/rate limit/);
    expect(error.hint).toMatch(/3600s/);
    expect(confluence.fake.calls('updatePage')).toHaveLength(1);
  });

  it('the fake rejects what Confluence would: a stale version, and a body off the contract', async () => {
    const { confluence, docs } = await setup();
    const page = await docs.upsertPage({ key: 'task/S', title: 'S', markdown: 'x' });
    const auth = `Basic ${Buffer.from('dev@example.com:api-token').toString('base64')}`;
    const put = (body: unknown) =>
      fetch(`${confluence.site}/wiki/api/v2/pages/${page.id}`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const stale = await put({
      id: page.id,
      status: 'current',
      title: 'S',
      body: { representation: 'storage', value: '<p/>' },
      version: { number: 1 },
    });
    expect(stale.status).toBe(409);
    await put({
      id: page.id,
      status: 'current',
      title: 'S',
      body: { representation: 'markdown', value: 'x' },
      version: { number: 2 },
      labels: [],
    });
    expect(confluence.fake.violations.join('\n')).toMatch(
      /request body\.body\.representation[\s\S]*Unrecognized key/,
    );
    confluence.fake.violations.length = 0;
  });
});
