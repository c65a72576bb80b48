import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { harness, workflowFrom } from '../../test/helpers/engine.js';
import { startRun } from '../core/engine/executor.js';
import { createInteractiveApprover, type PromptFns } from './approver.js';

/** Scripted answers for select/input, recording what was asked. */
function scripted(answers: string[]) {
  const asked: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`no scripted answer for "${message}"`);
    if (answer === '^C')
      throw Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
    return Promise.resolve(answer);
  };
  const prompts = {
    select: (config: { message: string }) => next(config.message),
    input: (config: { message: string }) => next(config.message),
  } as unknown as PromptFns;
  return { prompts, asked };
}

function approver(answers: string[], pageLines = 2) {
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  const { prompts, asked } = scripted(answers);
  const calls: string[] = [];
  const a = createInteractiveApprover({
    input: new PassThrough(),
    output,
    user: 'ann',
    color: false,
    pageLines,
    prompts,
    before: () => calls.push('pause'),
    after: () => calls.push('resume'),
  });
  return { a, asked, shown: () => shown, calls };
}

const request = {
  runId: 'r-1',
  stepId: 'review',
  message: 'Commit these?',
  summary: ' 2 files changed',
  details: '+a\n-b\n+c\n d\n+e',
};
const signal = new AbortController().signal;

describe('interactive approver', () => {
  it('approves, pausing the progress view around the prompt', async () => {
    const { a, calls, shown } = approver(['approve']);
    expect(await a.request(request, signal)).toEqual({ decision: 'approved', by: 'ann' });
    expect(calls).toEqual(['pause', 'resume']);
    expect(shown()).toContain('Commit these?\n 2 files changed');
  });

  it('pages the details on request, then takes the decision', async () => {
    const { a, asked, shown } = approver(['view', 'more', 'back', 'reject', 'too big']);
    expect(await a.request(request, signal)).toEqual({ decision: 'rejected', by: 'ann', reason: 'too big' });
    expect(asked).toEqual([
      'review: your decision',
      'lines 1-2 of 5',
      'lines 3-4 of 5',
      'review: your decision',
      'Why? (optional)',
    ]);
    expect(shown()).toContain('+a\n-b\n');
    expect(shown()).toContain('+c\n d\n');
    expect(shown()).not.toContain('+e');
  });

  it('gives feedback', async () => {
    const { a } = approver(['feedback', '  use a map  ']);
    expect(await a.request(request, signal)).toEqual({
      decision: 'feedback',
      by: 'ann',
      feedback: 'use a map',
    });
  });

  it('Ctrl-C at the prompt interrupts, it never approves', async () => {
    const { a, calls } = approver(['^C']);
    await expect(a.request(request, signal)).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('drives a gate in a run: feedback loops back to retry_step, then approve', async () => {
    const { a } = approver(['feedback', 'say more', 'approve']);
    const h = harness({ approver: a });
    const wf = workflowFrom(`
name: loop
steps:
  - id: draft
    uses: workflow.set_outputs
    with: {text: "\${{ feedback || 'short' }}"}
  - id: review
    approval: {message: Good?, retry_step: draft}
    with: {details: "\${steps.draft.outputs.text}"}
  - id: publish
    uses: chat.notify
    with: {text: "\${steps.draft.outputs.text}"}
`);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('succeeded');
    expect(h.world.messages.map((m) => m.text)).toEqual(['say more']);
    expect(
      h.ledger
        .listAudit(result.runId)
        .filter((x) => x.action === 'approval')
        .map((x) => [x.actor, x.decision]),
    ).toEqual([
      ['ann', 'feedback'],
      ['ann', 'approved'],
    ]);
  });
});
