// docs.confluence on Data Center / Server (REST v1 content API, personal access token) against a loopback checked
// with confluence.js' v1 schemas: create under a parent, update with the version bumped, labels, 401 and 404 hints.
import { describe, expect, it } from 'vitest';
import { confluenceDocsConfigSchema } from '../../providers/docs/confluence/config.js';
import { confluenceDocsProvider } from '../../providers/docs/confluence/index.js';
import { keyLabel } from '../../providers/docs/confluence/confluence-docs.js';
import { startConfluenceDcFake } from '../helpers/contract/confluence-dc-fake.js';
import { providerContext } from '../helpers/provider-context.js';

async function setup(env: Record<string, string> = { CONFLUENCE_PAT: 'dc-pat' }, space = 'ENG') {
  const dc = await startConfluenceDcFake();
  dc.pages.set('6000', {
    id: '6000',
    title: 'Docs',
    space: 'ENG',
    parent: null,
    version: 1,
    storage: '',
    labels: [],
    status: 'current',
  } as never);
  const config = confluenceDocsConfigSchema.parse({
    url: dc.site,
    space,
    parent_page: '6000',
    labels: ['aidev'],
  });
  return {
    dc,
    docs: await confluenceDocsProvider.create(
      providerContext(config, { repoRoot: '/x', env, path: 'docs.confluence' }),
    ),
  };
}

describe('docs.confluence on Data Center (REST v1, personal access token)', () => {
  it('creates the page under the parent with labels, then updates it with the version bumped', async () => {
    const { dc, docs } = await setup();
    const first = await docs.upsertPage({
      key: 'task/DC-1',
      title: 'DC-1',
      markdown: '```java\nclass A {}\n```',
    });
    const page = dc.pages.get(first.id)!;
    expect(page).toMatchObject({ parent: '6000', version: 1, labels: [keyLabel('task/DC-1'), 'aidev'] });
    expect(page.storage).toContain('<ac:parameter ac:name="language">java</ac:parameter>');
    expect(first.url).toBe(`${dc.site}/display/ENG/DC-1`);
    const second = await docs.upsertPage({ key: 'task/DC-1', title: 'DC-1', markdown: 'changed' });
    expect(second).toMatchObject({ id: first.id, version: 2 });
    expect(dc.pages.size).toBe(2);
    expect(dc.fake.calls('updateContent')[0]!.headers.authorization).toBe('Bearer dc-pat');
  });

  it('401 names the PAT; an unknown space names docs.confluence.space', async () => {
    const bad = await setup({ CONFLUENCE_PAT: 'wrong' });
    await expect(bad.docs.upsertPage({ key: 'k', title: 'T', markdown: 'x' })).rejects.toMatchObject({
      hint: expect.stringContaining('CONFLUENCE_PAT'),
    });
    const missing = await setup({ CONFLUENCE_PAT: 'dc-pat' }, 'NOPE');
    await expect(missing.docs.upsertPage({ key: 'k', title: 'T', markdown: 'x' })).rejects.toMatchObject({
      hint: expect.stringContaining('docs.confluence.space'),
    });
  });
});
