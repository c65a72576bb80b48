import { describe, expect, it } from 'vitest';
import { FakeWorld } from '../../../../test/helpers/fake-providers.js';
import { harness, workflowFrom } from '../../../../test/helpers/engine.js';
import { startRun } from '../executor.js';
import { mergePullRequestTemplate, PR_BODY_MARKER } from './vcs.js';

const prFlow = workflowFrom(`
name: pr
steps:
  - id: pr
    uses: vcs.open_pull_request
    with: {title: "T-1: new title", body: "What changed", head: feature/T-1}
  - id: note
    uses: vcs.comment
    with: {body: "ready", head: feature/T-1}
`);

describe('provider actions', () => {
  it('vcs.open_pull_request updates the open PR of the branch instead of opening a second', async () => {
    const world = new FakeWorld();
    world.prs.push({
      url: 'https://example.test/pr/7',
      number: 7,
      id: '7',
      state: 'open',
      head: 'feature/T-1',
      base: 'main',
      title: 'old',
      draft: false,
    });
    const h = harness({}, world);
    const result = await startRun({ ...h.deps, workflow: prFlow, inputs: {} });
    expect(result.status).toBe('succeeded');
    expect(world.count('vcs.openPullRequest')).toBe(0);
    expect(world.prs).toHaveLength(1);
    expect(world.prs[0]!.title).toBe('T-1: new title');
    expect(result.outputs.pr).toMatchObject({ url: 'https://example.test/pr/7', created: false });
    expect(world.prComments).toEqual([{ url: 'https://example.test/pr/7', body: 'ready' }]);
  });

  it('vcs.open_pull_request opens one against the default branch, with the repository template merged', async () => {
    const world = new FakeWorld();
    world.prTemplate = '## Checklist\n- [ ] tests';
    const h = harness({}, world);
    const result = await startRun({ ...h.deps, workflow: prFlow, inputs: {} });
    expect(result.status).toBe('succeeded');
    const opened = world.calls.find((c) => c.method === 'openPullRequest')!.args[0] as {
      body: string;
      base: string;
      draft: boolean;
    };
    expect(opened.base).toBe('main');
    expect(opened.draft).toBe(false);
    expect(opened.body).toBe('What changed\n\n---\n\n## Checklist\n- [ ] tests\n');
    expect(result.outputs.pr).toMatchObject({ created: true, number: 1 });
  });

  it('merges a template with the body marker in place, and leaves a body that already holds it', () => {
    expect(mergePullRequestTemplate('Body', `# Title\n${PR_BODY_MARKER}\n## Tests`)).toBe(
      '# Title\nBody\n## Tests',
    );
    expect(mergePullRequestTemplate('Body\n## Tests', '## Tests')).toBe('Body\n## Tests');
    expect(mergePullRequestTemplate('Body', null)).toBe('Body');
  });

  it('tasks actions use the run task by default; chat.notify replies in the run thread', async () => {
    const h = harness();
    const wf = workflowFrom(`
name: t
inputs: [task_id]
steps:
  - id: get
    uses: tasks.get
  - id: status
    uses: tasks.update_status
    with: {status: in_review}
  - id: one
    uses: chat.notify
    with: {text: first}
  - id: two
    uses: chat.notify
    with: {text: second, link: "https://x", fields: {cost: 1.5}}
  - id: child
    uses: tasks.create
    with: {title: Follow-up, parent: "\${task.id}", labels: [later]}
`);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: { task_id: 'T-1' } });
    expect(result.status).toBe('succeeded');
    expect(result.outputs.status).toMatchObject({ status: 'in_review', previous_status: 'todo' });
    expect(h.world.messages[1]).toMatchObject({
      threadId: 'thread-1',
      link: { url: 'https://x' },
      fields: { cost: '1.5' },
    });
    expect(h.world.calls.find((c) => c.method === 'createTask')!.args[0]).toMatchObject({
      title: 'Follow-up',
      parentId: 'T-1',
      labels: ['later'],
    });
  });

  it('a bad value at run time names the step, the action and the input', async () => {
    const h = harness();
    const wf = workflowFrom(
      'name: t\nsteps:\n  - id: s\n    uses: tasks.update_status\n    with: {id: T-1, status: "${{ \'finished\' }}"}\n',
    );
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.error!.message).toMatch(/^step s \(tasks.update_status\): bad input: with.status: /);
  });
});
