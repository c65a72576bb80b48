// `approval: {message, retry_step?}`: a gate answered by the run's Approver. Approve continues; reject stops the run
// (exit 5); feedback goes to the next step as `${feedback}` or loops back to `retry_step`; pause saves the run as
// awaiting_approval (exit 4) for `aidev resume <run> --approve|--reject`.
import { z } from 'zod';
import { AidevError } from '../../errors.js';
import { stringify } from '../../expressions/index.js';
import type { StepKindHandler, ValidationIssue } from '../types.js';

export interface ApprovalSpec {
  message: string;
  retry_step?: string | undefined;
  allow_feedback?: boolean | undefined;
}

const WITH_KEYS = ['details', 'summary', 'message'];

export const approvalStepKind: StepKindHandler<ApprovalSpec> = {
  kind: 'approval',
  schema: z.strictObject({
    message: z.string({ error: 'message is required: the question the person answers' }).min(1),
    retry_step: z.string().optional(),
    allow_feedback: z.boolean().optional(),
  }),
  validate(spec, step) {
    const issues: ValidationIssue[] = [];
    if (spec.message.includes('${')) {
      issues.push({
        message: 'approval.message is shown as written, not interpolated',
        hint: 'put the text in `with: {message: "… ${task.title}"}` instead',
        path: ['approval', 'message'],
      });
    }
    for (const key of Object.keys(step.with)) {
      if (!WITH_KEYS.includes(key))
        issues.push({
          message: `unknown input "${key}" for an approval`,
          hint: `an approval takes ${WITH_KEYS.join(', ')}`,
          path: ['with', key],
        });
    }
    return issues;
  },
  outputs: () => ['decision', 'by', 'feedback', 'automatic'],
  async execute(spec, input, ctx) {
    const message = typeof input.message === 'string' ? input.message : spec.message;
    const request = {
      runId: ctx.runId,
      stepId: ctx.stepId,
      message,
      details: input.details === undefined ? undefined : stringify(input.details),
      summary: input.summary === undefined ? undefined : stringify(input.summary),
      allowFeedback: spec.allow_feedback ?? true,
    };
    ctx.emit({
      type: 'approval.requested',
      runId: ctx.runId,
      stepId: ctx.stepId,
      message,
      at: ctx.runtime.clock.now().toISOString(),
    });
    const decision = await ctx.approver.request(request, ctx.signal);
    if (decision.decision === 'pause') {
      ctx.audit('approval', 'pending', { message, approver: ctx.approver.kind });
      throw new AidevError('APPROVAL_REQUIRED', `approval needed at step ${ctx.stepId}: ${message}`, {
        hint: `continue with: aidev resume ${ctx.runId} --approve   (or --reject, or --feedback "…")`,
        details: { runId: ctx.runId, stepId: ctx.stepId },
      });
    }
    const at = ctx.runtime.clock.now().toISOString();
    ctx.emit({
      type: 'approval.resolved',
      runId: ctx.runId,
      stepId: ctx.stepId,
      decision: decision.decision,
      by: decision.by,
      at,
    });
    if (decision.decision === 'rejected') {
      ctx.audit('approval', 'rejected', { by: decision.by, reason: decision.reason ?? null });
      throw new AidevError(
        'REJECTED',
        `rejected at step ${ctx.stepId} by ${decision.by}${decision.reason ? `: ${decision.reason}` : ''}`,
        {
          hint: 'the run stopped; start a new run when the task is ready',
        },
      );
    }
    if (decision.decision === 'feedback') {
      if (!request.allowFeedback) {
        // A wrong answer must not fail (and roll back) the run: the gate stays open.
        throw new AidevError(
          'APPROVAL_REQUIRED',
          `step ${ctx.stepId} does not take feedback; it still needs an answer`,
          {
            hint: `approve or reject it: aidev resume ${ctx.runId} --approve (or --reject)`,
          },
        );
      }
      ctx.audit('approval', 'feedback', { by: decision.by, feedback: decision.feedback });
      return { decision: 'feedback', by: decision.by, feedback: decision.feedback, automatic: false };
    }
    const automatic = decision.automatic === true;
    ctx.audit('approval', automatic ? 'approved (automatic)' : 'approved', { by: decision.by, automatic });
    return { decision: 'approved', by: decision.by, feedback: null, automatic };
  },
  next(spec, outputs) {
    return outputs.decision === 'feedback' && spec.retry_step ? { goto: spec.retry_step } : undefined;
  },
};
