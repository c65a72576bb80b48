// doctor proves the docs provider's credentials: Confluence's current user, Notion's users.me, GitBook's GET /user.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/commands/doctor.js';
import { startConfluenceFake } from '../helpers/contract/confluence-fake.js';
import { startGitbookFake } from '../helpers/contract/gitbook-fake.js';
import { startNotionFake } from '../helpers/contract/notion-fake.js';
import { tempDir, tempRepo } from '../helpers/temp.js';

async function doctor(docsYaml: string, env: Record<string, string>) {
  const { dir } = tempRepo();
  writeFileSync(join(dir, '.aidevrc.yaml'), `docs:\n${docsYaml}`);
  const result = await runDoctor({
    cwd: dir,
    env: { AIDEV_HOME: tempDir(), AIDEV_NO_CONFIG_CACHE: '1', ...env },
  });
  return (name: string) => result.checks.find((c) => c.name === name);
}

describe('aidev doctor with a SaaS docs provider', () => {
  it('Confluence: names the account, or says which token was refused', async () => {
    const confluence = await startConfluenceFake();
    const yaml = `  provider: confluence\n  confluence:\n    url: ${confluence.site}\n    space: ENG\n`;
    const ok = await doctor(yaml, { CONFLUENCE_EMAIL: 'dev@example.com', CONFLUENCE_API_TOKEN: 'api-token' });
    expect(ok('docs (confluence) reach')).toMatchObject({
      state: 'ok',
      detail: `dev@example.com at ${confluence.site}`,
    });
    const refused = await doctor(yaml, { CONFLUENCE_EMAIL: 'dev@example.com', CONFLUENCE_API_TOKEN: 'nope' });
    expect(refused('docs (confluence) reach')).toMatchObject({
      state: 'fail',
      hint: expect.stringContaining('CONFLUENCE_API_TOKEN'),
    });
  });

  it('Notion: users.me', async () => {
    const notion = await startNotionFake({ parentPages: ['11111111-2222-4333-8444-555555555555'] });
    const yaml = `  provider: notion\n  notion:\n    base_url: ${notion.origin}\n    parent_page: 11111111-2222-4333-8444-555555555555\n`;
    expect((await doctor(yaml, { NOTION_TOKEN: 'secret_test' }))('docs (notion) reach')).toMatchObject({
      state: 'ok',
      detail: expect.stringContaining('aidev docs at http://127.0.0.1:'),
    });
    expect((await doctor(yaml, { NOTION_TOKEN: 'wrong' }))('docs (notion) reach')).toMatchObject({
      state: 'fail',
      hint: expect.stringContaining('NOTION_TOKEN'),
    });
  });

  it('GitBook (API mode): GET /user', async () => {
    const gitbook = await startGitbookFake();
    const yaml = `  provider: gitbook\n  gitbook:\n    base_url: ${gitbook.endpoint}\n    space: space-1\n`;
    expect((await doctor(yaml, { GITBOOK_TOKEN: 'gb_test' }))('docs (gitbook) reach')).toMatchObject({
      state: 'ok',
      detail: expect.stringContaining('dev@example.com at'),
    });
    expect((await doctor(yaml, { GITBOOK_TOKEN: 'wrong' }))('docs (gitbook) reach')).toMatchObject({
      state: 'fail',
      hint: expect.stringContaining('GITBOOK_TOKEN'),
    });
  });
});
