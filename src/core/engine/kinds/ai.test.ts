import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AiRequest, AiResponse } from '../../../../providers/types.js';
import { harness, workflowFrom } from '../../../../test/helpers/engine.js';
import { startRun } from '../executor.js';
import type { ModelClient } from '../types.js';

/** A fake ModelClient answering from a script, recording each request. */
function scriptedModel(answers: AiResponse['content'][]) {
  const requests: AiRequest[] = [];
  const client: ModelClient = {
    model: 'fake-1',
    complete(request) {
      requests.push(request as AiRequest);
      const content = answers.shift();
      if (!content) throw new Error('the script ran out');
      return Promise.resolve({
        model: 'fake-1',
        content,
        stopReason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
        usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
      });
    },
  };
  return { client, requests };
}

const schema = `
      schema:
        type: object
        required: [items]
        properties:
          items: {type: array, items: {type: string}}`;

describe('ai: step kind', () => {
  it('renders the prompt with the scope and with: values, and returns the text', async () => {
    const { client, requests } = scriptedModel([[{ type: 'text', text: 'the plan' }]]);
    const h = harness({ model: () => Promise.resolve(client) });
    const wf = workflowFrom(`
name: t
steps:
  - id: get
    uses: tasks.get
    with: {id: T-1}
  - id: plan
    ai: {prompt: implementation_plan, max_tokens: 100}
    outputs: {text: plan}
  - id: say
    uses: chat.notify
    with: {text: "\${plan}"}
`);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('succeeded');
    expect(result.outputs.plan).toEqual({ text: 'the plan', model: 'fake-1', stop_reason: 'end_turn' });
    expect(requests[0]).toMatchObject({
      system: 'system:implementation_plan',
      maxTokens: 100,
      messages: [{ role: 'user', content: expect.stringContaining('"title":"Add a greeting"') }],
    });
    expect(requests[0]!.tools).toBeUndefined();
    expect(h.world.messages.map((m) => m.text)).toEqual(['the plan']);
  });

  it('structured output: a forced tool with the schema; the answer is validated and becomes data', async () => {
    const { client, requests } = scriptedModel([
      [{ type: 'tool_use', id: 't1', name: 'submit_plan', input: { items: ['a', 'b'] } }],
    ]);
    const h = harness({ model: () => Promise.resolve(client) });
    const wf = workflowFrom(`
name: t
steps:
  - id: plan
    ai:
      prompt: plan_project
      tool: submit_plan${schema}
`);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('succeeded');
    expect(result.outputs.plan!.data).toEqual({ items: ['a', 'b'] });
    expect(requests[0]!.toolChoice).toEqual({ type: 'tool', name: 'submit_plan' });
    expect(requests[0]!.tools![0]!.inputSchema).toMatchObject({ type: 'object', required: ['items'] });
  });

  it('an invalid answer gets one repair turn, then the step fails clearly', async () => {
    const bad = { type: 'tool_use' as const, id: 't1', name: 'submit_result', input: { items: 'nope' } };
    const good = { type: 'tool_use' as const, id: 't2', name: 'submit_result', input: { items: ['x'] } };
    const repaired = scriptedModel([[bad], [good]]);
    const h = harness({ model: () => Promise.resolve(repaired.client) });
    const wf = workflowFrom(`
name: t
steps:
  - id: plan
    ai:
      prompt: plan_project${schema}
`);
    const ok = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(ok.status).toBe('succeeded');
    expect(ok.outputs.plan!.data).toEqual({ items: ['x'] });
    const second = repaired.requests[1]!.messages.at(-1)!.content as {
      type: string;
      isError?: boolean;
      content: string;
    }[];
    expect(second[0]).toMatchObject({ type: 'tool_result', isError: true });
    expect(second[0]!.content).toMatch(/^Invalid: items: /);

    const failing = scriptedModel([[bad], [bad]]);
    const h2 = harness({ model: () => Promise.resolve(failing.client) });
    const failed = await startRun({ ...h2.deps, workflow: wf, inputs: {} });
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toMatch(
      /^step plan: the model's structured answer does not match ai.schema: items: /,
    );
  });

  it("an ai_action's prompt file sees the step's inputs, and its text is published under the outputs name", async () => {
    const { client, requests } = scriptedModel([[{ type: 'text', text: 'two sentences' }]]);
    const h = harness({ model: () => Promise.resolve(client) });
    mkdirSync(join(h.dir, 'prompts'));
    writeFileSync(join(h.dir, 'prompts/p.txt'), '{# spec style #}\n{{ task.type }}: {{ task.title }}\n');
    const file = join(h.dir, 'workflows/flow.yaml');
    const wf = workflowFrom(
      `
name: Spec Flow
steps:
  - name: fetch
    plugin: task_management
    action: get_task
    inputs: {task_id: '\${task_id}'}
    outputs: {task: task_data}
  - name: think
    type: ai_action
    prompt_template: ./prompts/p.txt
    inputs: {task: {type: story, title: '\${task_data.title}'}}
    outputs: {result: processed}
  - name: say
    plugin: communication
    action: send_message
    inputs: {message: 'done: \${processed}'}
`,
      file,
    );
    expect(wf).toMatchObject({ name: 'flow', title: 'Spec Flow' });
    const result = await startRun({ ...h.deps, workflow: wf, inputs: { task_id: 'T-1' } });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    // inputs.task hides the scope's task: the prompt sees the step's own value.
    expect(requests[0]!.messages).toEqual([{ role: 'user', content: 'story: Add a greeting' }]);
    expect(h.world.messages.map((m) => m.text)).toEqual(['done: two sentences']);

    // A prompt file gone between validation and the run fails the step without a model call.
    rmSync(join(h.dir, 'prompts/p.txt'));
    const h2 = harness({ model: () => Promise.resolve(client) });
    const failed = await startRun({ ...h2.deps, repoRoot: h.dir, workflow: wf, inputs: { task_id: 'T-1' } });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'TEMPLATE_ERROR' });
    expect(failed.error!.message).toContain('step think: no prompt file ./prompts/p.txt (looked at ');
    expect(requests).toHaveLength(1);
  });
});
