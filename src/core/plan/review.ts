// The review gate of a plan. Any Approver can answer it: --yes approves, non-interactive use pauses (exit 4), and a
// plain interactive approver sees the plan as text. An approver that is also a PlanReviewer (the Ink review) gets the
// plan itself and may hand back an edited one, or ask for a new draft with feedback.
import type { ApprovalDecision, Approver } from '../approvals.js';
import { planText } from './markdown.js';
import { countsOf, type Plan } from './schema.js';

export type ReviewChoice =
  | { kind: 'accept'; plan: Plan; by: string; automatic?: boolean | undefined; edited?: boolean | undefined }
  | { kind: 'reject'; by: string; reason?: string | undefined }
  | { kind: 'regenerate'; by: string; feedback: string; plan: Plan }
  | { kind: 'pause' };

export interface PlanReviewRequest {
  planId: string;
  plan: Plan;
  /** 1 for the first draft, then one more per regeneration. */
  round: number;
  /** Where it will be published (the tasks provider id). */
  tracker: string;
  /** plan.max_tasks, for validating an edited plan. */
  maxTasks: number;
}

export interface PlanReviewer {
  reviewPlan(request: PlanReviewRequest, signal: AbortSignal): Promise<ReviewChoice>;
}

export function isPlanReviewer(approver: Approver): approver is Approver & PlanReviewer {
  return typeof (approver as Partial<PlanReviewer>).reviewPlan === 'function';
}

export async function askReview(
  approver: Approver,
  request: PlanReviewRequest,
  gate: { runId: string; stepId: string },
  signal: AbortSignal,
): Promise<ReviewChoice> {
  if (isPlanReviewer(approver)) return approver.reviewPlan(request, signal);
  const counts = countsOf(request.plan);
  const decision: ApprovalDecision = await approver.request(
    {
      runId: gate.runId,
      stepId: gate.stepId,
      message: `Publish the plan "${request.plan.project.name}" (${counts.epics} epics, ${counts.tasks} tasks) to the ${request.tracker} tracker?`,
      summary: `${counts.epics} epics, ${counts.tasks} tasks, ${counts.dependencies} dependencies`,
      details: planText(request.plan),
      allowFeedback: true,
    },
    signal,
  );
  switch (decision.decision) {
    case 'approved':
      return { kind: 'accept', plan: request.plan, by: decision.by, automatic: decision.automatic };
    case 'rejected':
      return { kind: 'reject', by: decision.by, reason: decision.reason };
    case 'feedback':
      return { kind: 'regenerate', by: decision.by, feedback: decision.feedback, plan: request.plan };
    case 'pause':
      return { kind: 'pause' };
  }
}
