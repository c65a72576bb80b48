import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../../test/helpers/temp.js';
import { createPromptSource } from '../ai/prompts.js';
import { parseWorkflow } from './loader.js';
import { toNativeWorkflow } from './to-native.js';
import type { WorkflowDef } from './types.js';

const prompts = createPromptSource(repoRoot);
const ctx = { repoRoot, config: undefined, promptExists: (n: string) => prompts.exists(n) };

function load(text: string, file: string): WorkflowDef {
  const result = parseWorkflow(text, file, 'file', ctx);
  expect(result.issues).toEqual([]);
  return result.workflow!;
}

/** What a step does, whichever form it was written in. */
function behaviour(w: WorkflowDef) {
  return w.steps.map((s) => ({
    id: s.id,
    kind: s.kind,
    spec: s.spec,
    outputs: s.outputs,
    onError: s.onError,
  }));
}

describe('workflow show --native', () => {
  it('rewrites the specification example into native steps that load as the same workflow', () => {
    const file = join(repoRoot, 'examples/spec-style/workflows/my_custom.yaml');
    const text = readFileSync(file, 'utf8');
    const native = toNativeWorkflow(text, file);
    const before = load(text, file);
    const after = load(native.yaml, file);
    expect(after.steps.map((s) => s.compat)).toEqual([undefined, undefined, undefined]);
    expect(behaviour(after)).toEqual(behaviour(before));
    expect(behaviour(after)).toEqual([
      { id: 'fetch_task', kind: 'uses', spec: 'tasks.get', outputs: { task: 'task_data' }, onError: 'fail' },
      {
        id: 'custom_processing',
        kind: 'ai',
        spec: { prompt: './prompts/my_prompt.txt' },
        outputs: { text: 'processed_data' },
        onError: 'fail',
      },
      { id: 'notify', kind: 'uses', spec: 'chat.notify', outputs: {}, onError: 'continue' },
    ]);
    expect(after.steps[2]!.with).toEqual({
      channel: 'my-channel',
      text: 'Processing complete: ${processed_data}',
    });
    expect(parse(native.yaml)).toMatchObject({
      steps: [
        { id: 'fetch_task', uses: 'tasks.get', with: { task_id: '${task_id}' } },
        {
          id: 'custom_processing',
          ai: { prompt: './prompts/my_prompt.txt' },
          with: { task: '${task_data}' },
        },
        { id: 'notify', uses: 'chat.notify' },
      ],
    });
    expect(native.yaml).not.toMatch(/plugin:|action:|prompt_template:|inputs:|type:/);
    expect(native.rewritten).toEqual([
      'step fetch_task: read as plugin: task_management, action: get_task → uses: tasks.get',
      expect.stringContaining('step custom_processing: read as type: ai_action'),
      'step notify: read as plugin: communication, action: send_message → uses: chat.notify',
    ]);
  });

  it('keeps comments, other keys and compensations, and leaves native steps alone', () => {
    const text = `# my flow
name: mixed
steps:
  # first the task
  - name: get
    plugin: task_management # the tracker
    action: get_task
    inputs: {task_id: '\${task_id}'}
    retry: {max_attempts: 2}
    compensate:
      plugin: task_management
      action: add_comment
      inputs: {body: undone}
  - id: say
    title: Tell the team
    uses: chat.notify
    with: {text: hi}
`;
    const native = toNativeWorkflow(text, 'mixed.yaml');
    expect(native.yaml).toContain('# my flow');
    expect(native.yaml).toContain('# first the task');
    expect(native.yaml).toContain('uses: tasks.get # the tracker');
    expect(parse(native.yaml)).toEqual({
      name: 'mixed',
      steps: [
        {
          id: 'get',
          uses: 'tasks.get',
          with: { task_id: '${task_id}' },
          retry: { max_attempts: 2 },
          compensate: { uses: 'tasks.comment', with: { body: 'undone' } },
        },
        { id: 'say', title: 'Tell the team', uses: 'chat.notify', with: { text: 'hi' } },
      ],
    });
    expect(native.rewritten).toHaveLength(2);
    expect(behaviour(load(native.yaml, 'mixed.yaml'))).toEqual(behaviour(load(text, 'mixed.yaml')));
  });

  it('a shipped workflow is already native: nothing is rewritten', () => {
    const file = join(repoRoot, 'workflows/standard_dev.yaml');
    const text = readFileSync(file, 'utf8');
    const native = toNativeWorkflow(text, file);
    expect(native.rewritten).toEqual([]);
    expect(parse(native.yaml)).toEqual(parse(text));
  });
});
