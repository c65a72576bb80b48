// `aidev plan --yes` with docs: notion (configured in .aidevrc.yaml, created through the registry) publishes the
// "Project plan" page under the parent page, linking every tracker item by its URL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notionToDoc, type NotionBlockLike } from '../../providers/docs/shared/notion-in.js';
import type { NewTask, Task, TasksProvider } from '../../providers/types.js';
import { runPlan } from '../../src/commands/plan.js';
import { autoApprover } from '../../src/core/approvals.js';
import { startNotionFake } from '../helpers/contract/notion-fake.js';
import { gitIdentity, tempDir, tempRepo } from '../helpers/temp.js';
import { chainPlan } from './plan-kit.js';

const PARENT = '11111111-2222-4333-8444-555555555555';

/** A tracker whose items have web URLs, as Jira or Linear give them. */
function webTracker(): TasksProvider & { created: Task[] } {
  const created: Task[] = [];
  return {
    id: 'web',
    created,
    createTask(input: NewTask) {
      const id = `WEB-${created.length + 1}`;
      const task: Task = {
        id,
        type: input.type ?? 'task',
        title: input.title,
        description: input.description ?? '',
        status: 'todo',
        assignee: null,
        labels: input.labels ?? [],
        url: `https://tracker.test/browse/${id}`,
        parentId: input.parentId,
        dependsOn: [],
      };
      created.push(task);
      return Promise.resolve(task);
    },
    getTask: (id) => Promise.resolve(created.find((t) => t.id === id)!),
    listTasks: () => Promise.resolve(created),
    updateStatus: (id) => Promise.resolve(created.find((t) => t.id === id)!),
    addComment: () => Promise.resolve({ id: 'c1' }),
    link: () => Promise.resolve(),
  };
}

describe('aidev plan --yes with docs: notion', () => {
  it('publishes the "Project plan" page under the parent page with links to the tracker items', async () => {
    const notion = await startNotionFake({ parentPages: [PARENT] });
    const { dir } = tempRepo();
    writeFileSync(
      join(dir, '.aidevrc.yaml'),
      `docs:\n  provider: notion\n  notion:\n    base_url: ${notion.origin}\n    parent_page: ${PARENT}\n    requests_per_second: 1000\n`,
    );
    const planFile = join(tempDir(), 'plan.json');
    writeFileSync(planFile, JSON.stringify(chainPlan(3)));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...gitIdentity,
      AIDEV_HOME: tempDir('aidev-home-'),
      AIDEV_NO_CONFIG_CACHE: '1',
      NOTION_TOKEN: 'secret_test',
    };
    const tracker = webTracker();
    const result = await runPlan({
      cwd: dir,
      env,
      approver: autoApprover,
      fromFile: planFile,
      prepare: (s) => s.providers.set('tasks', tracker),
    });
    expect(result.kind).toBe('plan');
    if (result.kind !== 'plan') return;
    const r = result.result;
    expect(r, JSON.stringify(r.error)).toMatchObject({ status: 'published', created: 4 });
    const pages = [...notion.pages.values()].filter((p) => p.id !== PARENT);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.title).toBe('Project plan: Chain');
    expect(r.docs).toEqual({
      key: `plan/${r.planId}`,
      url: expect.stringMatching(/^https:\/\/www\.notion\.so\/Project-plan-Chain-/),
    });
    const links = JSON.stringify(notionToDoc(notion.tree(pages[0]!.id) as NotionBlockLike[]));
    for (const task of tracker.created) expect(links).toContain(`"href":"${task.url}"`);
  });
});
