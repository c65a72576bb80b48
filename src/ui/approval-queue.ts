// The Approver of several runs on one terminal: gates are queued in the order they were reached and answered one at a
// time in the combined view (src/ui/multi-run-view.tsx), while the other runs go on. React-free: the view only reads the
// queue and reports the person's answer. An aborted run (Ctrl-C) leaves the queue, its gate unanswered.
import type { ApprovalDecision, ApprovalRequest, Approver } from '../core/approvals.js';
import { AidevError } from '../core/errors.js';

/** What a person can answer at a gate (Ctrl-C is not an answer: it stops every run). */
export type ApprovalAnswer =
  | { kind: 'approve' }
  | { kind: 'reject'; reason?: string | undefined }
  | { kind: 'feedback'; feedback: string };

export interface QueuedApproval {
  /** Unique for the queue's life: the view keys its panel by it, so a new gate starts with a fresh panel. */
  key: number;
  request: ApprovalRequest;
}

export interface ApprovalQueue extends Approver {
  readonly kind: 'interactive';
  /** Waiting gates, oldest first; the first is the one shown. */
  pending(): readonly QueuedApproval[];
  /** Answers a waiting gate; an unknown key (already answered or aborted) is ignored. */
  answer(key: number, answer: ApprovalAnswer): void;
  /** Called whenever a gate joins or leaves the queue. */
  subscribe(listener: () => void): () => void;
}

interface Entry extends QueuedApproval {
  resolve(decision: ApprovalDecision): void;
  detach(): void;
}

export function createApprovalQueue(options: { user: string }): ApprovalQueue {
  let entries: Entry[] = [];
  let next = 1;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const remove = (key: number): Entry | undefined => {
    const entry = entries.find((e) => e.key === key);
    if (entry) entries = entries.filter((e) => e !== entry);
    return entry;
  };
  const interrupted = (request: ApprovalRequest) =>
    new AidevError('INTERRUPTED', `interrupted at the approval of step ${request.stepId}`);

  return {
    kind: 'interactive',
    pending: () => entries,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    answer(key, answer) {
      const entry = remove(key);
      if (!entry) return;
      entry.detach();
      const by = options.user;
      entry.resolve(
        answer.kind === 'approve'
          ? { decision: 'approved', by }
          : answer.kind === 'reject'
            ? { decision: 'rejected', by, reason: answer.reason }
            : { decision: 'feedback', by, feedback: answer.feedback },
      );
      notify();
    },
    request(request, signal) {
      if (signal.aborted) return Promise.reject(interrupted(request));
      return new Promise<ApprovalDecision>((resolve, reject) => {
        const key = next++;
        const onAbort = () => {
          if (!remove(key)) return;
          reject(interrupted(request));
          notify();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entries = [
          ...entries,
          { key, request, resolve, detach: () => signal.removeEventListener('abort', onAbort) },
        ];
        notify();
      });
    },
  };
}
