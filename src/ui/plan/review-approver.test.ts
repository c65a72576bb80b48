import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chainPlan, todoPlan } from '../../../test/integration/plan-kit.js';
import { AidevError } from '../../core/errors.js';
import { askReview, isPlanReviewer } from '../../core/plan/review.js';
import { planSchema } from '../../core/plan/schema.js';
import type { EditOutcome } from './editor.js';
import type { PlanReviewProps, ReviewUiChoice } from './plan-review.js';
import { createPlanReviewApprover } from './review-approver.js';

function approver(choices: ReviewUiChoice[], edits: EditOutcome[] = []) {
  const shown: Omit<PlanReviewProps, 'onChoice'>[] = [];
  const calls: string[] = [];
  const review = createPlanReviewApprover({
    input: new PassThrough(),
    output: new PassThrough(),
    env: {},
    user: 'ana',
    color: false,
    before: () => calls.push('before'),
    after: () => calls.push('after'),
    show: (props) => {
      shown.push(props);
      return Promise.resolve(choices.shift()!);
    },
    edit: () => edits.shift()!,
  });
  return { review, shown, calls };
}

const request = { planId: 'p-1', plan: todoPlan(), round: 1, tracker: 'local', maxTasks: 200 };
const signal = new AbortController().signal;

describe('the plan review approver', () => {
  it('is a PlanReviewer, and the terminal goes back to the progress view afterwards', async () => {
    const { review, calls } = approver([{ kind: 'accept' }]);
    expect(isPlanReviewer(review)).toBe(true);
    const choice = await askReview(review, request, { runId: 'r', stepId: 'review' }, signal);
    expect(choice).toEqual({ kind: 'accept', plan: request.plan, by: 'ana', edited: false });
    expect(calls).toEqual(['before', 'after']);
  });

  it('after a failed edit (editor exit non-zero) shows why and keeps the plan; a good edit is what gets approved', async () => {
    const edited = planSchema.parse(chainPlan(2));
    const { review, shown } = approver(
      [{ kind: 'edit' }, { kind: 'edit' }, { kind: 'accept' }],
      [
        {
          ok: false,
          message: 'the editor "vi" exited with code 1; the plan is unchanged',
          issues: [],
          text: null,
        },
        { ok: true, plan: edited },
      ],
    );
    const choice = await review.reviewPlan(request, signal);
    expect(shown[1]!.note).toEqual({
      level: 'error',
      text: 'the editor "vi" exited with code 1; the plan is unchanged',
    });
    expect(shown[1]!.plan).toBe(request.plan);
    expect(shown[2]!.note).toEqual({ level: 'info', text: 'edited: 1 epics, 2 tasks, 1 dependencies' });
    expect(choice).toEqual({ kind: 'accept', plan: edited, by: 'ana', edited: true });
  });

  it('lists edit problems with their positions', async () => {
    const { review, shown } = approver(
      [{ kind: 'edit' }, { kind: 'reject', reason: 'later' }],
      [
        {
          ok: false,
          message: 'the edited plan has 1 problem',
          issues: [{ path: [], message: 'bad', where: 'plan.yaml:3:1' }],
          text: 'x',
        },
      ],
    );
    expect(await review.reviewPlan(request, signal)).toEqual({ kind: 'reject', by: 'ana', reason: 'later' });
    expect(shown[1]!.note?.text).toBe('the edited plan has 1 problem\n  plan.yaml:3:1: bad');
  });

  it('passes regenerate feedback on, and turns Ctrl-C into an interruption', async () => {
    const { review } = approver([{ kind: 'regenerate', feedback: 'smaller tasks' }]);
    expect(await review.reviewPlan(request, signal)).toEqual({
      kind: 'regenerate',
      by: 'ana',
      feedback: 'smaller tasks',
      plan: request.plan,
    });
    const { review: r2, calls } = approver([{ kind: 'interrupt' }]);
    const error = await r2.reviewPlan(request, signal).catch((e: unknown) => e as AidevError);
    expect(error).toBeInstanceOf(AidevError);
    expect((error as AidevError).code).toBe('INTERRUPTED');
    expect((error as AidevError).hint).toContain('aidev plan --resume p-1');
    expect(calls).toEqual(['before', 'after']);
  });
});
