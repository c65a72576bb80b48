// `aidev run` through the built binary with docs: confluence, docs: notion and docs: gitbook (Git Sync) configured in
// .aidevrc.yaml: the real standard_dev publishes the task's page (the doc_text the model wrote) on the loopback SaaS
// fakes and the run's docs step records the page's URL; with Git Sync the page ships in the run's one commit. (A second
// run of the same task, updating the page in place, is test/integration/run-docs-saas.test.ts: the scripted agent here
// has nothing left to change the second time.)
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startConfluenceFake } from '../helpers/contract/confluence-fake.js';
import { startNotionFake } from '../helpers/contract/notion-fake.js';
import { binPath } from '../helpers/temp.js';
import {
  gitEnvForTests,
  makeRepo,
  sh,
  SLUG_PROJECT,
  SLUG_SCRIPT,
  type TempRepo,
} from '../integration/run-fixtures.js';

const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

const RESPONSES = [
  { text: '1. Trim the input in src/slugify.js.\n2. Run node --test.' },
  ...SLUG_SCRIPT,
  { text: 'Trims input in slugify so surrounding spaces no longer become dashes.' },
  { text: '# slugify\n\n`slugify` now ignores surrounding spaces.\n\n- [x] trims input' },
];

function aidev(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd,
      env: { ...env, CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function runTask(docsYaml: string, secrets: Record<string, string>) {
  const r = makeRepo({
    ...SLUG_PROJECT,
    '.aidevrc.yaml': `ai:\n  provider: fake\nverify:\n  checks: ["node --test"]\ndocs:\n${docsYaml}`,
  });
  repos.push(r);
  r.write(
    '.aidev/tasks/TASK-1.md',
    '---\nid: TASK-1\ntitle: slugify ignores surrounding spaces\nstatus: todo\n---\n\nslugify("  a b ") should give "a-b".\n',
  );
  const script = join(r.dir, 'script.jsonl');
  writeFileSync(script, RESPONSES.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const env = { ...gitEnvForTests, AIDEV_HOME: r.home, ...secrets };
  const run = await aidev(r.root, ['run', 'TASK-1', '--yes', '--json', '--fake-responses', script], env);
  expect(run.code, run.stderr).toBe(0);
  const { runId } = JSON.parse(run.stdout) as { runId: string };
  const shown = await aidev(r.root, ['runs', 'show', runId, '--json'], env);
  expect(shown.code, shown.stderr).toBe(0);
  const steps =
    (JSON.parse(shown.stdout) as { steps?: { id?: string; stepId?: string; outputs?: { url?: string } }[] })
      .steps ?? [];
  return { r, docsUrl: steps.find((s) => (s.id ?? s.stepId) === 'docs')?.outputs?.url };
}

describe.skipIf(!existsSync(binPath))(
  'aidev run, end to end through the binary, with a SaaS docs provider',
  () => {
    it('docs: confluence — the task page is created in the space with the code and task markup', async () => {
      const confluence = await startConfluenceFake();
      const { docsUrl } = await runTask(
        `  provider: confluence\n  confluence:\n    url: ${confluence.site}\n    space: ENG\n`,
        {
          CONFLUENCE_EMAIL: 'dev@example.com',
          CONFLUENCE_API_TOKEN: 'api-token',
        },
      );
      const pages = [...confluence.pages.values()];
      expect(pages).toHaveLength(1);
      expect(pages[0]!.title).toBe('TASK-1: slugify ignores surrounding spaces');
      expect(pages[0]!.storage).toContain('<code>slugify</code> now ignores surrounding spaces.');
      expect(pages[0]!.storage).toContain('<ac:task-status>complete</ac:task-status>');
      expect(docsUrl).toBe(
        `${confluence.site}/wiki/spaces/ENG/pages/${pages[0]!.id}/TASK-1%3A%2Bslugify%2Bignores%2Bsurrounding%2Bspaces`,
      );
    });

    it('docs: notion — the task page is created under the parent page as Notion blocks', async () => {
      const parent = '11111111-2222-4333-8444-555555555555';
      const notion = await startNotionFake({ parentPages: [parent] });
      const { docsUrl } = await runTask(
        `  provider: notion\n  notion:\n    base_url: ${notion.origin}\n    parent_page: ${parent}\n    requests_per_second: 1000\n`,
        {
          NOTION_TOKEN: 'secret_test',
        },
      );
      const pages = [...notion.pages.values()].filter((p) => p.id !== parent);
      expect(pages).toHaveLength(1);
      expect(JSON.stringify(notion.tree(pages[0]!.id))).toContain('"plain_text":"slugify"');
      expect(docsUrl).toMatch(
        /^https:\/\/www\.notion\.so\/TASK-1-slugify-ignores-surrounding-spaces-[0-9a-f]{32}$/,
      );
    });

    it("docs: gitbook with Git Sync — the page and its SUMMARY.md entry ship in the run's one commit", async () => {
      const { r } = await runTask('  provider: gitbook\n  gitbook:\n    git_sync_path: docs\n', {});
      const branch = 'feature/TASK-1';
      const files = sh(r.remote!, ['ls-tree', '-r', '--name-only', branch]);
      expect(files).toContain('docs/aidev/task/task-1.md');
      expect(files).toContain('docs/SUMMARY.md');
      expect(sh(r.remote!, ['rev-list', '--count', `main..${branch}`]).trim()).toBe('1');
      expect(sh(r.remote!, ['show', `${branch}:docs/aidev/task/task-1.md`])).toMatch(
        /^# TASK-1: slugify ignores surrounding spaces\n\n## slugify\n/,
      );
    });
  },
);
