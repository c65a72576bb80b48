// The Notion docs provider against a loopback Notion whose requests and responses are checked against JSON Schemas
// derived from the pinned @notionhq/client's types, plus Notion's documented request limits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notionDocsConfigSchema, type NotionDocsConfig } from '../../providers/docs/notion/config.js';
import { NotionDocs } from '../../providers/docs/notion/notion-docs.js';
import { markdownToDoc } from '../../providers/docs/shared/markdown-in.js';
import { notionToDoc, type NotionBlockLike } from '../../providers/docs/shared/notion-in.js';
import { AidevError } from '../../src/core/errors.js';
import { startNotionFake } from '../helpers/contract/notion-fake.js';
import { providerContext } from '../helpers/provider-context.js';

const PARENT = '11111111-2222-4333-8444-555555555555';
const DATABASE = '99999999-2222-4333-8444-555555555555';
const contract = JSON.parse(
  readFileSync(new URL('../fixtures/contracts/notion.schemas.json', import.meta.url), 'utf8'),
) as { sdkVersion: string; notionVersion: string };

async function setup(
  settings: Partial<NotionDocsConfig> = { parent_page: PARENT },
  env: Record<string, string> = { NOTION_TOKEN: 'secret_test' },
) {
  const notion = await startNotionFake({
    parentPages: [PARENT],
    database: { id: DATABASE, keyProperty: 'aidev key' },
  });
  const config = notionDocsConfigSchema.parse({
    base_url: notion.origin,
    requests_per_second: 1000,
    ...settings,
  });
  const ctx = providerContext(config, { repoRoot: '/nonexistent', env, path: 'docs.notion' });
  return { notion, docs: NotionDocs.connect(ctx), ctx };
}

const pagesOf = (notion: Awaited<ReturnType<typeof setup>>['notion']) =>
  [...notion.pages.values()].filter((p) => p.id !== PARENT);
const body = (notion: Awaited<ReturnType<typeof setup>>['notion'], id: string) => {
  const blocks = notion.tree(id) as NotionBlockLike[];
  return { doc: notionToDoc(blocks.slice(1)), marker: JSON.stringify(blocks[0]) };
};

async function failure(promise: Promise<unknown>): Promise<AidevError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AidevError);
  return error as AidevError;
}

const MARKDOWN =
  '## Summary\n\n- [ ] check\n- [x] ship\n\n| a | b |\n| --- | --- |\n| 1 | `2` |\n\n```typescript\nconst x = 1;\n```\n\nSee [PR](https://example.com/pr/1).';

describe(`docs.notion against the Notion contract (@notionhq/client ${contract.sdkVersion}, Notion-Version ${contract.notionVersion})`, () => {
  it('creates a child page of the parent page, its body as Notion blocks, and returns its URL', async () => {
    const { notion, docs } = await setup();
    const page = await docs.upsertPage({ key: 'task/AUTH-1', title: 'AUTH-1: Login', markdown: MARKDOWN });
    const [stored] = pagesOf(notion);
    expect(stored).toMatchObject({ title: 'AUTH-1: Login', parent: { type: 'page_id', page_id: PARENT } });
    expect(page).toMatchObject({ id: stored!.id, key: 'task/AUTH-1', version: 1 });
    expect(page.url).toMatch(/^https:\/\/www\.notion\.so\/AUTH-1-Login-[0-9a-f]{32}$/);
    const read = body(notion, stored!.id);
    expect(read.doc).toEqual(markdownToDoc(MARKDOWN));
    expect(read.marker).toContain('Maintained by aidev (page key: task/AUTH-1, revision 1)');
    expect(docs.linkFor('task/AUTH-1')).toBe(page.url);
    expect(await docs.findPage('task/AUTH-1')).toEqual({ ...page, title: 'AUTH-1: Login' });
  });

  it('an update replaces the page content in place, never a second page', async () => {
    const { notion, docs, ctx } = await setup();
    const first = await docs.upsertPage({ key: 'task/AUTH-1', title: 'AUTH-1: Login', markdown: MARKDOWN });
    // A new process (a second `aidev run`, or a resume after a kill) finds it by title and its marker line.
    const second = await NotionDocs.connect(ctx).upsertPage({
      key: 'task/AUTH-1',
      title: 'AUTH-1: Login',
      markdown: '# Changed\n\nNew text.',
    });
    expect(second).toMatchObject({ id: first.id, url: first.url, version: 2 });
    expect(pagesOf(notion)).toHaveLength(1);
    expect(body(notion, first.id).doc).toEqual(markdownToDoc('# Changed\n\nNew text.'));
    expect(notion.calls('blocks.delete').length).toBeGreaterThan(0);
  });

  it('follows the ledger id across a title change', async () => {
    const { notion, docs, ctx } = await setup();
    const first = await docs.upsertPage({ key: 'task/AUTH-2', title: 'Old title', markdown: 'v1' });
    const again = await NotionDocs.connect(ctx).upsertPage({
      key: 'task/AUTH-2',
      title: 'New title',
      markdown: 'v2',
      id: first.id,
    });
    expect(again).toMatchObject({ id: first.id, version: 2 });
    expect(notion.pages.get(first.id)!.title).toBe('New title');
  });

  it('writes rows of a database with the key property, and finds the row again from a new process', async () => {
    const { notion, docs, ctx } = await setup({
      database: DATABASE,
      properties: { Type: { select: { name: 'Docs' } } },
    });
    const first = await docs.upsertPage({
      key: 'plan/p-1',
      title: 'Project plan',
      markdown: '- [Task 1](https://tracker.test/1)',
    });
    const stored = notion.pages.get(first.id)!;
    expect(stored.parent).toMatchObject({ type: 'data_source_id', database_id: DATABASE });
    expect(JSON.stringify(stored.properties['aidev key'])).toContain('plan/p-1');
    const again = await NotionDocs.connect(ctx).upsertPage({
      key: 'plan/p-1',
      title: 'Project plan',
      markdown: '- [Task 1](https://tracker.test/1)\n- [Task 2](https://tracker.test/2)',
    });
    expect(again).toMatchObject({ id: first.id, version: 2 });
    expect(pagesOf(notion)).toHaveLength(1);
  });

  it('splits long text and long pages within the limits: 2,000 characters per item, 100 blocks per request, nested lists later', async () => {
    const { notion, docs } = await setup();
    const long = 'word '.repeat(1000).trim();
    const list = Array.from({ length: 130 }, (_, i) => `- item ${i}\n  - sub ${i}\n    - deep ${i}`).join(
      '\n',
    );
    const markdown = `${long}\n\n${list}\n\n${Array.from({ length: 120 }, (_, i) => `Paragraph ${i}.`).join('\n\n')}`;
    const page = await docs.upsertPage({ key: 'task/BIG', title: 'Big', markdown });
    expect(body(notion, page.id).doc).toEqual(markdownToDoc(markdown));
    for (const call of notion.calls('blocks.children.append'))
      expect((call.body as { children: unknown[] }).children.length).toBeLessThanOrEqual(100);
  });

  it('the fake rejects what Notion would: a rich-text item over 2,000 characters, a children array over 100 blocks', async () => {
    const { notion } = await setup();
    const send = (children: unknown[]) =>
      fetch(`${notion.origin}/v1/blocks/${PARENT}/children`, {
        method: 'PATCH',
        headers: {
          authorization: 'Bearer secret_test',
          'notion-version': '2025-09-03',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ children }),
      });
    const paragraph = (text: string) => ({
      object: 'block',
      type: 'paragraph',
      paragraph: { rich_text: [{ type: 'text', text: { content: text } }] },
    });
    expect((await send([paragraph('x'.repeat(2001))])).status).toBe(400);
    expect((await send(Array.from({ length: 101 }, () => paragraph('x')))).status).toBe(400);
    expect(
      (await send([{ object: 'block', type: 'paragraph', paragraph: { rich_text: [], colour: 'red' } }]))
        .status,
    ).toBe(400);
    expect(notion.violations.join('\n')).toMatch(/2001 characters[\s\S]*101 blocks[\s\S]*colour/);
    notion.violations.length = 0;
  });

  it('401 names the token; 404 tells to share the page with the integration; checkAuth reads users.me', async () => {
    const bad = await setup({ parent_page: PARENT }, { NOTION_TOKEN: 'wrong' });
    const e1 = await failure(bad.docs.upsertPage({ key: 'task/A', title: 'A', markdown: 'x' }));
    expect(e1.message).toMatch(/Notion rejected the credentials/);
    expect(e1.hint).toMatch(/NOTION_TOKEN/);
    expect(await bad.docs.checkAuth()).toMatchObject({ ok: false });
    const missing = await setup({ parent_page: '22222222-2222-4333-8444-555555555555' });
    const e2 = await failure(missing.docs.upsertPage({ key: 'task/A', title: 'A', markdown: 'x' }));
    expect(e2.hint).toMatch(/docs\.notion\.parent_page.*Connections/);
    expect(await missing.docs.checkAuth()).toMatchObject({ ok: true, identity: 'aidev docs' });
  });

  it('a missing key property says which property the database needs', async () => {
    const { docs } = await setup({ database: DATABASE, key_property: 'Key' });
    const error = await failure(docs.upsertPage({ key: 'task/A', title: 'A', markdown: 'x' }));
    expect(error.hint).toMatch(/Text property named as docs\.notion\.key_property/);
  });

  it('429 waits for Retry-After; a conflict is retried once and then reported', async () => {
    const { notion, docs } = await setup();
    notion.failNext('pages.create', 429, 0);
    notion.failNext('blocks.children.append', 409);
    const page = await docs.upsertPage({ key: 'task/R', title: 'R', markdown: 'x' });
    expect(notion.calls('pages.create').map((c) => c.status)).toEqual([429, 200]);
    expect(notion.calls('blocks.children.append').map((c) => c.status)).toEqual([409, 200]);
    notion.failNext('pages.update', 409);
    notion.failNext('pages.update', 409);
    const error = await failure(docs.upsertPage({ key: 'task/R', title: 'R', markdown: 'y' }));
    expect(error.message).toMatch(/Notion reported a conflict/);
    notion.failNext('pages.retrieve', 429, 3600);
    const slow = await failure(docs.upsertPage({ key: 'task/R', title: 'R', markdown: 'z', id: page.id }));
    expect(slow.hint).toMatch(/3600s/);
  });

  it('needs exactly one of parent_page and database', () => {
    const config = notionDocsConfigSchema.parse({});
    expect(() =>
      NotionDocs.connect(
        providerContext(config, { repoRoot: '/x', env: { NOTION_TOKEN: 't' }, path: 'docs.notion' }),
      ),
    ).toThrow(/exactly one of parent_page or database/);
  });
});
