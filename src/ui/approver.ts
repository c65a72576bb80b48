// The interactive Approver (a TTY): shows the gate's summary, pages the diff on request, and asks approve / reject /
// give feedback with @inquirer/prompts. Ctrl-C at the prompt interrupts the run (resumable), it never approves.
import { input, select } from '@inquirer/prompts';
import type { Readable, Writable } from 'node:stream';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../core/approvals.js';
import { AidevError } from '../core/errors.js';

export interface PromptFns {
  select: typeof select;
  input: typeof input;
}

export interface InteractiveApproverOptions {
  input: Readable;
  output: Writable;
  user: string;
  color: boolean;
  /** Lines per page of the diff. */
  pageLines?: number | undefined;
  /** Called before the prompt takes the terminal and after it gives it back (the Ink view pauses). */
  before?: (() => void) | undefined;
  after?: (() => void) | undefined;
  /** Injected in tests. */
  prompts?: PromptFns | undefined;
}

type Choice = 'approve' | 'reject' | 'feedback' | 'view' | 'more' | 'back';

export function createInteractiveApprover(options: InteractiveApproverOptions): Approver {
  const prompts = options.prompts ?? { select, input };
  const write = (text: string) => options.output.write(text + '\n');
  const context = (signal: AbortSignal) => ({ input: options.input, output: options.output, signal });

  const page = async (details: string, signal: AbortSignal) => {
    const lines = details.split('\n');
    const size = options.pageLines ?? 30;
    for (let start = 0; start < lines.length; start += size) {
      write(
        lines
          .slice(start, start + size)
          .map((l) => colorLine(l, options.color))
          .join('\n'),
      );
      if (start + size >= lines.length) break;
      const next = await prompts.select<Choice>(
        {
          message: `lines ${start + 1}-${start + size} of ${lines.length}`,
          choices: [
            { value: 'more', name: 'Next page' },
            { value: 'back', name: 'Back to the decision' },
          ],
        },
        context(signal),
      );
      if (next === 'back') break;
    }
  };

  const ask = async (request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> => {
    write(`\n${request.message}`);
    if (request.summary) write(request.summary);
    for (;;) {
      const choices: { value: Choice; name: string; description?: string }[] = [
        { value: 'approve', name: 'Approve', description: 'continue the run' },
        { value: 'reject', name: 'Reject', description: 'stop the run (and roll back)' },
      ];
      if (request.allowFeedback !== false)
        choices.push({
          value: 'feedback',
          name: 'Give feedback',
          description: 'send it back with your notes',
        });
      if (request.details)
        choices.push({
          value: 'view',
          name: `View the details (${request.details.split('\n').length} lines)`,
        });
      const choice = await prompts.select<Choice>(
        { message: `${request.stepId}: your decision`, choices },
        context(signal),
      );
      if (choice === 'view') {
        await page(request.details ?? '', signal);
        continue;
      }
      if (choice === 'approve') return { decision: 'approved', by: options.user };
      if (choice === 'reject') {
        const reason = (await prompts.input({ message: 'Why? (optional)' }, context(signal))).trim();
        return { decision: 'rejected', by: options.user, reason: reason || undefined };
      }
      const feedback = (
        await prompts.input(
          {
            message: 'Your feedback for the next attempt:',
            validate: (v) => (v.trim() ? true : 'write something, or pick another choice'),
          },
          context(signal),
        )
      ).trim();
      return { decision: 'feedback', by: options.user, feedback };
    }
  };

  return {
    kind: 'interactive',
    async request(request, signal) {
      options.before?.();
      try {
        return await ask(request, signal);
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'ExitPromptError' || name === 'AbortPromptError' || signal.aborted) {
          throw new AidevError('INTERRUPTED', `interrupted at the approval of step ${request.stepId}`, {
            cause: error,
          });
        }
        throw error;
      } finally {
        options.after?.();
      }
    },
  };
}

function colorLine(line: string, color: boolean): string {
  if (!color) return line;
  if (line.startsWith('+') && !line.startsWith('+++')) return `\x1b[32m${line}\x1b[39m`;
  if (line.startsWith('-') && !line.startsWith('---')) return `\x1b[31m${line}\x1b[39m`;
  if (line.startsWith('@@')) return `\x1b[36m${line}\x1b[39m`;
  return line;
}
