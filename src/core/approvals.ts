// Approval is an interface: an interactive prompt (src/ui), --yes, or non-interactive (the run pauses, exit 4).
export interface ApprovalRequest {
  runId: string;
  stepId: string;
  message: string;
  /** What the person reviews: a diff, a plan… (plain text; the UI may page it). */
  details?: string | undefined;
  /** Short summary line, e.g. a diffstat. */
  summary?: string | undefined;
  allowFeedback?: boolean | undefined;
}

export type ApprovalDecision =
  | { decision: 'approved'; by: string; automatic?: boolean | undefined }
  | { decision: 'rejected'; by: string; reason?: string | undefined }
  | { decision: 'feedback'; by: string; feedback: string }
  /** Nobody can answer now: save the run as awaiting_approval and exit 4. */
  | { decision: 'pause' };

export interface Approver {
  readonly kind: 'interactive' | 'auto' | 'noninteractive' | 'preset';
  request(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision>;
}

/** --yes: approves everything, recorded as automatic. */
export const autoApprover: Approver = {
  kind: 'auto',
  request: () => Promise.resolve({ decision: 'approved', by: 'auto (--yes)', automatic: true }),
};

/** CI without --yes: every gate pauses the run. */
export const nonInteractiveApprover: Approver = {
  kind: 'noninteractive',
  request: () => Promise.resolve({ decision: 'pause' }),
};

/** `aidev resume --approve|--reject [--feedback]`: answers the pending gate once, then behaves like `then`. */
export function presetApprover(
  decision: Exclude<ApprovalDecision, { decision: 'pause' }>,
  then: Approver,
): Approver {
  let used = false;
  return {
    kind: 'preset',
    request(request, signal) {
      if (used) return then.request(request, signal);
      used = true;
      return Promise.resolve(decision);
    },
  };
}
