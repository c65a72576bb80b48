import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../core/approvals.js';
import { createApprovalQueue } from './approval-queue.js';

const gate = (runId: string): ApprovalRequest => ({ runId, stepId: 'review', message: `Ship ${runId}?` });

describe('approval queue', () => {
  it('keeps gates in arrival order and answers them one at a time, by the person', async () => {
    const queue = createApprovalQueue({ user: 'ana' });
    let changes = 0;
    queue.subscribe(() => changes++);
    const signal = new AbortController().signal;
    const first = queue.request(gate('r-1'), signal);
    const second = queue.request(gate('r-2'), signal);
    expect(queue.pending().map((q) => q.request.runId)).toEqual(['r-1', 'r-2']);
    const [a, b] = queue.pending();
    queue.answer(b!.key, { kind: 'reject', reason: 'not yet' });
    queue.answer(a!.key, { kind: 'approve' });
    queue.answer(a!.key, { kind: 'reject' }); // already answered: ignored
    await expect(first).resolves.toEqual({ decision: 'approved', by: 'ana' });
    await expect(second).resolves.toEqual({ decision: 'rejected', by: 'ana', reason: 'not yet' });
    expect(queue.pending()).toEqual([]);
    expect(changes).toBe(4);

    const third = queue.request(gate('r-3'), signal);
    queue.answer(queue.pending()[0]!.key, { kind: 'feedback', feedback: 'add a test' });
    await expect(third).resolves.toEqual({ decision: 'feedback', by: 'ana', feedback: 'add a test' });
  });

  it('an aborted run leaves the queue with an interruption (resumable), the others stay', async () => {
    const queue = createApprovalQueue({ user: 'ana' });
    const stop = new AbortController();
    const stopped = queue.request(gate('r-1'), stop.signal);
    const other = queue.request(gate('r-2'), new AbortController().signal);
    stop.abort();
    await expect(stopped).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(queue.pending().map((q) => q.request.runId)).toEqual(['r-2']);
    await expect(queue.request(gate('r-3'), stop.signal)).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: 'interrupted at the approval of step review',
    });
    queue.answer(queue.pending()[0]!.key, { kind: 'approve' });
    await expect(other).resolves.toMatchObject({ decision: 'approved' });
  });
});
