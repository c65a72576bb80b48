import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDocsConfigSchema } from '../../../providers/docs/local/config.js';
import { LocalDocs } from '../../../providers/docs/local/local-docs.js';
import { providerContext } from '../../../test/helpers/provider-context.js';
import { tempDir } from '../../../test/helpers/temp.js';
import { todoPlan } from '../../../test/integration/plan-kit.js';
import { writePlanPage } from './follow-through.js';
import { itemLink, planText } from './markdown.js';

describe('the Project plan page', () => {
  it('is upserted under plan/<plan-id> with links to the tracker items, relative to the page', async () => {
    const dir = tempDir();
    const docs = new LocalDocs(providerContext(localDocsConfigSchema.parse({}), { repoRoot: dir }));
    const items = [
      {
        key: 'E1',
        id: 'TASK-1',
        url: '.aidev/tasks/TASK-1.md',
        kind: 'epic' as const,
        title: 'Project foundation',
      },
      { key: 'E1-T1', id: 'TASK-6', url: '.aidev/tasks/TASK-6.md', kind: 'task' as const, title: 'Set up' },
    ];
    const page = await writePlanPage({ docs, plan: todoPlan(), planId: 'p-9', items });
    expect(page).toEqual({ key: 'plan/p-9', url: 'docs/aidev/plan/p-9.md' });
    const text = readFileSync(join(dir, page.url), 'utf8');
    expect(text).toContain('# Project plan: Todo app with auth');
    expect(text).toContain('5 epics, 25 tasks, 34 dependencies.');
    expect(text).toContain('## Project foundation ([TASK-1](../../../.aidev/tasks/TASK-1.md))');
    expect(text).toContain(
      '| [TASK-6](../../../.aidev/tasks/TASK-6.md) | Set up the repository and TypeScript build | 2 | – |',
    );
    expect(text).toContain(
      '| E1-T2 | Add the test runner and a first smoke test | 1 | [TASK-6](../../../.aidev/tasks/TASK-6.md) |',
    );
    const again = await writePlanPage({ docs, plan: todoPlan(), planId: 'p-9', items });
    expect(again.url).toBe(page.url);
    expect(readFileSync(join(dir, page.url), 'utf8')).toContain('version="2"');
  });

  it('keeps tracker URLs as they are and prints a compact tree', () => {
    expect(
      itemLink(
        {
          key: 'E1',
          id: 'ACME-1',
          url: 'https://acme.atlassian.net/browse/ACME-1',
          kind: 'epic',
          title: 'x',
        },
        { pagePath: 'docs/x.md' },
      ),
    ).toBe('[ACME-1](https://acme.atlassian.net/browse/ACME-1)');
    const text = planText(todoPlan());
    expect(text.split('\n')[0]).toBe('Todo app with auth: 5 epics, 25 tasks, 34 dependencies');
    expect(text).toContain('  E1-T4  Add the CI workflow  [2]  ← E1-T2, E1-T3');
  });
});
