// A workflow run through the real engine with tasks: linear and chat: slack against their contract fakes: the issue
// moves to the mapped review state, gets a comment with the PR link, and the run's Slack updates share one thread.
import { describe, expect, it } from 'vitest';
import { slackChatConfigSchema } from '../../providers/chat/slack/config.js';
import { slackChatProvider } from '../../providers/chat/slack/index.js';
import { linearTasksConfigSchema } from '../../providers/tasks/linear/config.js';
import { linearTasksProvider } from '../../providers/tasks/linear/index.js';
import { startRun } from '../../src/core/engine/executor.js';
import { startLinearFake } from '../helpers/contract/linear-fake.js';
import { startSlackFake } from '../helpers/contract/slack-fake.js';
import { harness, workflowFrom } from '../helpers/engine.js';
import { providerContext } from '../helpers/provider-context.js';

const flow = `
name: review-handoff
inputs:
  task_id: {required: true}
steps:
  - id: get
    uses: tasks.get
  - id: started
    uses: chat.notify
    with: {text: "\${task.id} started: \${task.title}", level: info, fields: {task: "\${task.id}"}}
  - id: start
    uses: tasks.update_status
    with: {status: in_progress}
  - id: comment
    uses: tasks.comment
    with: {body: "Pull request: https://github.com/acme/api/pull/7"}
  - id: review
    uses: tasks.update_status
    with: {status: in_review}
  - id: summary
    uses: chat.notify
    with:
      text: "\${task.id} is ready for review"
      level: success
      link: https://github.com/acme/api/pull/7
      link_label: "PR #7"
      fields: {task: "\${task.id}", status: in_review, cost: "$0.42", duration: 4m}
`;

describe('aidev run with tasks: linear and chat: slack', () => {
  it('moves the issue to the mapped review state, comments the PR link and threads the Slack updates', async () => {
    const linear = await startLinearFake({ apiKey: 'lin_api_e2e' });
    const slack = await startSlackFake({ token: 'xoxb-e2e' });
    linear.teams[0]!.states.push({ id: 'eng-state-cr', name: 'Code Review', type: 'started', position: 3.5 });
    const issue = linear.addIssue({ title: 'Add login' });

    const h = harness();
    const env = { LINEAR_API_KEY: 'lin_api_e2e', SLACK_BOT_TOKEN: 'xoxb-e2e' };
    const tasks = await linearTasksProvider.create(
      providerContext(
        linearTasksConfigSchema.parse({
          base_url: linear.url,
          team: 'ENG',
          status_mapping: { in_review: 'Code Review' },
        }),
        { repoRoot: h.dir, env, path: 'tasks.linear' },
      ),
    );
    const chat = await slackChatProvider.create(
      providerContext(slackChatConfigSchema.parse({ base_url: slack.url, channel: '#dev-ai' }), {
        repoRoot: h.dir,
        env,
        path: 'chat.slack',
      }),
    );
    h.deps.providers.set('tasks', tasks);
    h.deps.providers.set('chat', chat);

    const result = await startRun({ ...h.deps, workflow: workflowFrom(flow), inputs: { task_id: 'ENG-1' } });
    expect(result.status).toBe('succeeded');

    expect(issue.stateId).toBe('eng-state-cr');
    expect(linear.comments.map((c) => c.body)).toEqual(['Pull request: https://github.com/acme/api/pull/7']);
    const [first, second] = slack.posted;
    expect(slack.posted).toHaveLength(2);
    expect(first!.threadTs).toBeUndefined();
    expect(second!.threadTs).toBe(first!.ts);
    expect(second!.args.text).toContain('ENG-1 is ready for review');
    expect(JSON.stringify(second!.args.blocks)).toContain('<https://github.com/acme/api/pull/7|PR #7>');
    // The thread is kept in the run's saved state, so a resumed run replies in the same thread.
    expect(JSON.stringify(h.ledger.getRun(result.runId))).toContain(first!.ts);
    await linear.server.close();
  });
});
