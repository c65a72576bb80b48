// Every broken workflow in test/fixtures/workflows/broken gives its problem at file:line:col with a clear message,
// and none of them crashes the loader.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPromptSource } from '../../src/core/ai/prompts.js';
import { formatIssue } from '../../src/core/engine/issues.js';
import { loadWorkflowFile, readWorkflowFile } from '../../src/core/engine/loader.js';
import { AidevError } from '../../src/core/errors.js';

const dir = resolve(import.meta.dirname, '../fixtures/workflows/broken');
const prompts = createPromptSource(dir);
const ctx = { repoRoot: dir, config: undefined, promptExists: (n: string) => prompts.exists(n) };

/** file → the first problem's `line:col` and a piece of its message. */
const expected: Record<string, [string, string | RegExp]> = {
  'approval-self-loop.yaml': ['4:32', 'retry_step "gate" is the approval itself'],
  'bad-approval.yaml': ['4:5', 'message is required'],
  'bad-backoff.yaml': ['5:30', 'backoff is the multiplier between waits; it must be at least 1'],
  'bad-compensate.yaml': ['5:18', 'a compensation cannot be an approval gate'],
  'bad-expression.yaml': ['6:5', 'if: cannot parse `steps.a.outputs.task ==`: Expected expression after =='],
  'bad-id.yaml': ['3:5', 'step ids use letters, digits, _ and -'],
  'bad-on-error.yaml': ['5:5', 'on_error is fail, continue or retry'],
  'bad-schema.yaml': ['6:7', 'ai.schema: the top level must be `type: object`'],
  'bad-timeout.yaml': ['5:5', '"soon" is not a duration'],
  'bad-yaml-syntax.yaml': ['5:1', /^YAML: Flow sequence/],
  'comments-only.yaml': ['1:1', 'the workflow file is empty'],
  'crossing-loops.yaml': ['12:33', 'crosses the loop of "gate1"'],
  'duplicate-id.yaml': ['5:5', 'duplicate step id "fetch" (first used at line 3)'],
  'duplicate-key.yaml': ['5:5', 'YAML: Map keys must be unique'],
  'empty-steps.yaml': ['2:1', 'a workflow needs at least one step'],
  'empty.yaml': ['1:1', 'the workflow file is empty'],
  'env-context.yaml': ['5:12', '`env` is not available in aidev workflows'],
  'forward-reference.yaml': ['6:7', 'refers to step "fetch", which runs later (line 7)'],
  'later-alias.yaml': ['6:12', '${summary} is published by step "b", which runs later (line 7)'],
  'max-attempts-zero.yaml': ['6:7', 'max_attempts must be at least 1'],
  'missing-template.yaml': ['5:7', 'no prompt template named "no_such_prompt"'],
  'missing-with-key.yaml': ['3:5', 'missing input "body"'],
  'no-id.yaml': ['3:5', 'the step has no id'],
  'no-kind.yaml': ['3:5', 'step "a" has no kind'],
  'no-steps.yaml': ['1:1', 'steps: is missing'],
  'non-string-command.yaml': ['4:5', 'run: takes the command as a string'],
  'not-a-mapping.yaml': ['1:1', 'a workflow is a mapping'],
  'retry-intervals.yaml': ['5:53', 'max_interval is shorter than initial_interval'],
  'retry-step-cycle.yaml': [
    '8:7',
    'retry_step "later" comes after the approval, which makes a cycle through retry_step',
  ],
  'run-interpolation.yaml': ['4:5', 'run: commands are not interpolated'],
  'self-reference.yaml': ['5:12', 'step "a" refers to its own outputs'],
  'spec-get-tsk.yaml': ['5:5', 'unknown task_management action "get_tsk" (did you mean "get_task"?)'],
  'spec-missing-prompt-file.yaml': ['5:5', 'no prompt file ./prompts/no_such_prompt.txt (looked at '],
  'spec-no-prompt-template.yaml': ['4:5', '`type: ai_action` needs `prompt_template:`'],
  'spec-output-before-step.yaml': [
    '7:7',
    '${processed_data} is published by step "custom_processing", which runs later (line 8)',
  ],
  'spec-prompt-outside.yaml': ['5:5', 'the prompt file /etc/passwd is outside the project'],
  'spec-task-mgmt.yaml': ['4:5', 'unknown plugin "task_mgmt"'],
  'step-not-mapping.yaml': ['3:5', 'each step is a mapping'],
  'tabs.yaml': ['3:1', /tab/i],
  'two-kinds.yaml': ['5:5', 'a step has exactly one kind; this one has uses and run'],
  'unclosed-interpolation.yaml': ['5:12', 'unclosed `${`'],
  'unknown-action.yaml': ['4:5', 'unknown action "tasks.fetch" (did you mean "tasks.get"?)'],
  'unknown-config-key.yaml': ['4:5', 'config.approvals has no key "diffs" (did you mean "diff"?)'],
  'unknown-function.yaml': ['5:5', 'unknown function `matches()`'],
  'unknown-input-ref.yaml': ['7:12', 'unknown input "task" in ${inputs.task}'],
  'unknown-output-ref.yaml': ['7:12', 'step "fetch" has no output "tsk" (did you mean "task"?)'],
  'unknown-plugin.yaml': ['4:5', 'unknown plugin "task_managment" (did you mean "task_management"?)'],
  'unknown-spec-action.yaml': ['5:5', 'unknown task_management action "fetch_task"'],
  'unknown-step-key.yaml': ['5:5', 'unknown key "wiht" in a step (did you mean "with"?)'],
  'unknown-task-field.yaml': ['7:12', 'a task has no field "titel" (did you mean "title"?)'],
  'unknown-top-key.yaml': ['1:1', 'steps: is missing'],
  'unknown-with-key.yaml': ['5:26', 'unknown input "colour"'],
  'unsupported-operator.yaml': ['5:5', 'the operator `===` is not supported'],
};

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('broken workflows', () => {
  it('has at least 30 fixtures, each with an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files).toEqual(Object.keys(expected).sort());
  });

  it.each(files)('%s: file:line:col and a clear message', (name) => {
    const file = join(dir, name);
    const result = readWorkflowFile(file, 'file', ctx);
    expect(result.workflow).toBeUndefined();
    expect(result.issues.length).toBeGreaterThan(0);
    for (const issue of result.issues) {
      expect(formatIssue(issue)).toMatch(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: \\S`),
      );
    }
    const [at, message] = expected[name]!;
    const first = result.issues[0]!;
    expect(`${first.line}:${first.col}`).toBe(at);
    if (typeof message === 'string') expect(first.message).toContain(message);
    else expect(first.message).toMatch(message);

    let thrown: unknown;
    try {
      loadWorkflowFile(file, 'file', ctx);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AidevError);
    expect((thrown as AidevError).code).toBe('WORKFLOW_INVALID');
    expect((thrown as AidevError).exitCode).toBe(2);
    expect((thrown as AidevError).message).toContain(`${file}:${at}: `);
  });

  /** The specification's form: the hint says what would be valid. */
  const hints: Record<string, string | RegExp> = {
    'spec-task-mgmt.yaml': 'plugins are task_management, version_control, documentation, communication',
    'spec-get-tsk.yaml': /^task_management actions are get_task, create_task, update_task_status/,
    'spec-no-prompt-template.yaml': 'prompt_template: ./prompts/my_prompt.txt',
    'spec-missing-prompt-file.yaml': /tried from the workflow file's folder.*then the project root/,
    'spec-prompt-outside.yaml': `keep prompt files in the repository or beside the workflow: ${dir}`,
    'spec-output-before-step.yaml': 'a step can read only values from steps before it',
  };
  it.each(Object.keys(hints))('%s: a hint that names the valid choices', (name) => {
    const [first] = readWorkflowFile(join(dir, name), 'file', ctx).issues;
    const hint = hints[name]!;
    if (typeof hint === 'string') expect(first?.hint).toContain(hint);
    else expect(first?.hint).toMatch(hint);
  });
});
