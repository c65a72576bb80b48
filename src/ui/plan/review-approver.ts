// The interactive plan reviewer: an Approver (other gates use the plain interactive prompt) that also reviews plans in
// the Ink tree. Edits loop back into the tree with the result; approve, regenerate and reject go back to the workflow.
import { createElement } from 'react';
import type { Readable, Writable } from 'node:stream';
import type { Approver } from '../../core/approvals.js';
import { AidevError } from '../../core/errors.js';
import type { PlanReviewer, PlanReviewRequest, ReviewChoice } from '../../core/plan/review.js';
import { countsOf, type Plan } from '../../core/plan/schema.js';
import { createInteractiveApprover } from '../approver.js';
import { editPlan, type EditOutcome } from './editor.js';
import { PlanReview, type PlanReviewProps, type ReviewUiChoice } from './plan-review.js';

export interface PlanReviewApproverOptions {
  input: Readable;
  output: Writable & { columns?: number; rows?: number };
  env: Readonly<Record<string, string | undefined>>;
  user: string;
  color: boolean;
  /** The progress view steps aside while the review owns the terminal. */
  before?: (() => void) | undefined;
  after?: (() => void) | undefined;
  /** Injected in tests: shows the tree and resolves with the choice. */
  show?:
    ((props: Omit<PlanReviewProps, 'onChoice'>, signal: AbortSignal) => Promise<ReviewUiChoice>) | undefined;
  edit?: ((plan: Plan, text: string | null, maxTasks: number) => EditOutcome) | undefined;
}

export function createPlanReviewApprover(options: PlanReviewApproverOptions): Approver & PlanReviewer {
  const plain = createInteractiveApprover({
    input: options.input,
    output: options.output,
    user: options.user,
    color: options.color,
    before: options.before,
    after: options.after,
  });
  const show = options.show ?? inkShow(options);
  const edit =
    options.edit ??
    ((plan: Plan, text: string | null, maxTasks: number) =>
      editPlan(plan, { env: options.env, maxTasks, text }));
  return {
    kind: 'interactive',
    request: (request, signal) => plain.request(request, signal),
    async reviewPlan(request: PlanReviewRequest, signal: AbortSignal): Promise<ReviewChoice> {
      options.before?.();
      try {
        return await loop(request, signal, show, edit, options.user);
      } finally {
        options.after?.();
      }
    },
  };
}

async function loop(
  request: PlanReviewRequest,
  signal: AbortSignal,
  show: NonNullable<PlanReviewApproverOptions['show']>,
  edit: NonNullable<PlanReviewApproverOptions['edit']>,
  by: string,
): Promise<ReviewChoice> {
  let plan = request.plan;
  let note: PlanReviewProps['note'];
  let pending: string | null = null;
  let edited = false;
  for (;;) {
    const choice = await show(
      { plan, planId: request.planId, tracker: request.tracker, round: request.round, note },
      signal,
    );
    switch (choice.kind) {
      case 'accept':
        return { kind: 'accept', plan, by, edited };
      case 'reject':
        return { kind: 'reject', by, reason: choice.reason };
      case 'regenerate':
        return { kind: 'regenerate', by, feedback: choice.feedback, plan };
      case 'interrupt':
        throw new AidevError('INTERRUPTED', `interrupted at the review of plan ${request.planId}`, {
          hint: `the draft is saved; continue with: aidev plan --resume ${request.planId}`,
        });
      case 'edit': {
        const outcome = edit(plan, pending, request.maxTasks);
        if (outcome.ok) {
          plan = outcome.plan;
          pending = null;
          edited = true;
          const c = countsOf(plan);
          note = {
            level: 'info',
            text: `edited: ${c.epics} epics, ${c.tasks} tasks, ${c.dependencies} dependencies`,
          };
        } else {
          pending = outcome.text;
          const lines = outcome.issues.slice(0, 6).map((i) => `  ${i.where}: ${i.message}`);
          if (outcome.issues.length > 6) lines.push(`  and ${outcome.issues.length - 6} more`);
          note = { level: 'error', text: [outcome.message, ...lines].join('\n') };
        }
      }
    }
  }
}

/** The real terminal: renders the tree with Ink until a choice is made, then gives the terminal back. */
function inkShow(options: PlanReviewApproverOptions): NonNullable<PlanReviewApproverOptions['show']> {
  return async (props, signal) => {
    const { render } = await import('ink');
    return new Promise<ReviewUiChoice>((resolve, reject) => {
      let settled = false;
      const instance = render(
        createElement(PlanReview, {
          ...props,
          // A terminal that reports no size (0) gets a sensible one rather than an empty screen.
          width: Math.min(options.output.columns || 100, 140),
          height: Math.max(8, (options.output.rows || 30) - 16),
          onChoice: (choice) => finish(() => resolve(choice)),
        }),
        { stdout: options.output, stdin: options.input, exitOnCtrlC: false, patchConsole: false },
      );
      const onAbort = () =>
        finish(() =>
          reject(
            new AidevError('INTERRUPTED', `interrupted at the review of plan ${props.planId}`, {
              hint: `continue with: aidev plan --resume ${props.planId}`,
            }),
          ),
        );
      function finish(then: () => void): void {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        instance.unmount();
        then();
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
    });
  };
}
