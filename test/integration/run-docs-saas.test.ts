// A task run through the real engine with docs: confluence and docs: notion against their contract fakes: one page
// per task, its link in the pull request description and in the task comment, the same page updated in place by a
// second run (the ledger keeps key → page id), and a run resumed after the page write crashed makes no second page.
import { describe, expect, it } from 'vitest';
import { confluenceDocsConfigSchema } from '../../providers/docs/confluence/config.js';
import { confluenceDocsProvider } from '../../providers/docs/confluence/index.js';
import { notionDocsConfigSchema } from '../../providers/docs/notion/config.js';
import { notionDocsProvider } from '../../providers/docs/notion/index.js';
import type { DocsProvider } from '../../providers/types.js';
import { resumeRun, startRun } from '../../src/core/engine/executor.js';
import { startConfluenceFake } from '../helpers/contract/confluence-fake.js';
import { startNotionFake } from '../helpers/contract/notion-fake.js';
import { harness, workflowFrom, type Harness } from '../helpers/engine.js';
import { providerContext } from '../helpers/provider-context.js';

const flow = workflowFrom(`
name: docs-follow-through
inputs:
  task_id: {required: true}
steps:
  - id: task
    uses: tasks.get
  - id: docs
    uses: docs.upsert_page
    with:
      key: 'task/\${task.id}'
      title: '\${task.id}: \${task.title}'
      markdown: "## What changed\\n\\n- [x] \${task.title}\\n\\n\`\`\`ts\\nexport const greeting = 'hi';\\n\`\`\`\\n\\nRun \`npm test\`."
  - id: pr
    uses: vcs.open_pull_request
    with:
      title: '\${task.id}: \${task.title}'
      body: "Implements \${task.id}.\\n\\nDocumentation: \${steps.docs.outputs.url}"
      head: feature/\${task.id}
  - id: comment
    uses: tasks.comment
    with:
      body: "Pull request: \${steps.pr.outputs.url}\\nDocumentation: \${steps.docs.outputs.url}"
`);

async function runTwice(h: Harness, docs: () => Promise<DocsProvider>) {
  const runs = [];
  for (let i = 0; i < 2; i++) {
    // A fresh provider per run, as a new `aidev run` process would have.
    h.deps.providers.set('docs', await docs());
    const result = await startRun({ ...h.deps, workflow: flow, inputs: { task_id: 'T-1' } });
    expect(result.status).toBe('succeeded');
    runs.push(result);
  }
  const outputs = h.ledger.listSteps(runs[1]!.runId).find((s) => s.stepId === 'docs')!.outputs as {
    url: string;
    version: number;
  };
  return { outputs };
}

describe('a task run with a SaaS docs provider', () => {
  it('docs: confluence — one page per task, updated in place, linked from the PR and the task comment', async () => {
    const confluence = await startConfluenceFake();
    const h = harness();
    const env = { CONFLUENCE_EMAIL: 'dev@example.com', CONFLUENCE_API_TOKEN: 'api-token' };
    const config = confluenceDocsConfigSchema.parse({
      url: confluence.site,
      space: 'ENG',
      labels: ['aidev'],
    });
    const { outputs } = await runTwice(h, () =>
      confluenceDocsProvider.create(
        providerContext(config, { repoRoot: h.dir, env, path: 'docs.confluence' }),
      ),
    );
    const pages = [...confluence.pages.values()];
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ title: 'T-1: Add a greeting', version: 1 });
    expect(outputs.url).toBe(
      `${confluence.site}/wiki/spaces/ENG/pages/${pages[0]!.id}/T-1%3A%2BAdd%2Ba%2Bgreeting`,
    );
    expect(h.world.prs).toHaveLength(1);
    expect(h.world.prs[0]!.title).toBe('T-1: Add a greeting');
    expect(h.world.calls.find((c) => c.method === 'openPullRequest')!.args[0]).toMatchObject({
      body: expect.stringContaining(`Documentation: ${outputs.url}`),
    });
    expect(h.world.comments.map((c) => c.body)).toEqual([
      expect.stringContaining(`Documentation: ${outputs.url}`),
      expect.stringContaining(`Documentation: ${outputs.url}`),
    ]);
    // The second run found the page through the ledger's key → id row: one read by id, no label search, no create.
    expect(confluence.fake.calls('createPage')).toHaveLength(1);
    expect(h.ledger.getEffect('docs-page:fake-docs:task/T-1')).toMatchObject({
      status: 'done',
      externalId: pages[0]!.id,
    });
  });

  it('docs: notion — one child page per task, its content replaced in place by the second run', async () => {
    const parent = '11111111-2222-4333-8444-555555555555';
    const notion = await startNotionFake({ parentPages: [parent] });
    const h = harness();
    const config = notionDocsConfigSchema.parse({
      base_url: notion.origin,
      parent_page: parent,
      requests_per_second: 1000,
    });
    const { outputs } = await runTwice(h, () =>
      notionDocsProvider.create(
        providerContext(config, {
          repoRoot: h.dir,
          env: { NOTION_TOKEN: 'secret_test' },
          path: 'docs.notion',
        }),
      ),
    );
    const pages = [...notion.pages.values()].filter((p) => p.id !== parent);
    expect(pages).toHaveLength(1);
    expect(outputs).toMatchObject({
      version: 2,
      url: expect.stringMatching(/^https:\/\/www\.notion\.so\/T-1-Add-a-greeting-/),
    });
    expect(h.world.comments.map((c) => c.body)).toEqual([
      expect.stringContaining(`Documentation: ${outputs.url}`),
      expect.stringContaining(`Documentation: ${outputs.url}`),
    ]);
    // One body, not two: the old blocks were deleted after the new ones went in.
    const texts = JSON.stringify(notion.tree(pages[0]!.id));
    expect(texts.match(/"plain_text":"What changed"/g)).toHaveLength(1);
  });

  it('a run killed after Confluence saved the page (its effect still pending) resumes into the same page', async () => {
    const confluence = await startConfluenceFake();
    const h = harness();
    const env = { CONFLUENCE_EMAIL: 'dev@example.com', CONFLUENCE_API_TOKEN: 'api-token' };
    const config = confluenceDocsConfigSchema.parse({ url: confluence.site, space: 'ENG' });
    const make = () =>
      confluenceDocsProvider.create(
        providerContext(config, { repoRoot: h.dir, env, path: 'docs.confluence' }),
      );
    h.deps.providers.set('docs', await make());
    // The page is created, then labelling is told to wait: the run is stopped (SIGINT) inside that wait.
    confluence.failNext('addLabelsToContent', 429, 30);
    const running = startRun({ ...h.deps, workflow: flow, inputs: { task_id: 'T-1' } });
    for (let i = 0; i < 500 && confluence.fake.calls('addLabelsToContent').length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    h.controller.abort();
    const first = await running;
    expect(first.status).toBe('interrupted');
    expect(confluence.pages.size).toBe(1);
    h.deps.providers.set('docs', await make());
    const resumed = await resumeRun({
      ...h.deps,
      signal: new AbortController().signal,
      workflow: flow,
      run: h.ledger.getRun(first.runId)!,
    });
    expect(resumed.status, JSON.stringify(resumed)).toBe('succeeded');
    expect(confluence.pages.size).toBe(1);
    expect(confluence.fake.calls('createPage')).toHaveLength(1);
    expect(h.world.prs).toHaveLength(1);
  });

  it('a run killed after Notion made the page (before its body landed) resumes into the same page', async () => {
    const parent = '11111111-2222-4333-8444-555555555555';
    const notion = await startNotionFake({ parentPages: [parent] });
    const h = harness();
    const config = notionDocsConfigSchema.parse({
      base_url: notion.origin,
      parent_page: parent,
      requests_per_second: 1000,
    });
    const make = () =>
      notionDocsProvider.create(
        providerContext(config, {
          repoRoot: h.dir,
          env: { NOTION_TOKEN: 'secret_test' },
          path: 'docs.notion',
        }),
      );
    h.deps.providers.set('docs', await make());
    notion.failNext('blocks.children.append', 429, 30);
    const running = startRun({ ...h.deps, workflow: flow, inputs: { task_id: 'T-1' } });
    for (let i = 0; i < 500 && notion.calls('blocks.children.append').length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    h.controller.abort();
    expect((await running).status).toBe('interrupted');
    h.deps.providers.set('docs', await make());
    const run = h.ledger.listRuns({})[0]!;
    const resumed = await resumeRun({ ...h.deps, signal: new AbortController().signal, workflow: flow, run });
    expect(resumed.status).toBe('succeeded');
    const pages = [...notion.pages.values()].filter((p) => p.id !== parent);
    expect(pages).toHaveLength(1);
    expect(JSON.stringify(notion.tree(pages[0]!.id)).match(/"plain_text":"What changed"/g)).toHaveLength(1);
  });
});
