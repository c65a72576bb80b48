// Built-in actions that touch nothing outside the run: workflow.set_outputs (computes values for later steps) and
// workflow.fail (stops the run with a message, e.g. behind an `if:` guard).
import { z } from 'zod';
import { AidevError } from '../../errors.js';
import type { ProviderAction } from '../types.js';

/** Output list of an action whose outputs are its `with:` keys. */
export const OUTPUTS_FROM_WITH = '*';

export const workflowActions: ProviderAction[] = [
  {
    name: 'workflow.set_outputs',
    description: 'Publishes its `with:` values as outputs (no side effect)',
    input: z.record(z.string(), z.unknown()),
    outputs: [OUTPUTS_FROM_WITH],
    run: (input) => Promise.resolve({ ...input }),
  },
  {
    name: 'workflow.fail',
    description: 'Fails the step with a message (use it behind an `if:`)',
    input: z.strictObject({ message: z.string().min(1), hint: z.string().optional() }),
    outputs: [],
    run(input, ctx) {
      const i = input as { message: string; hint?: string };
      return Promise.reject(
        new AidevError('STEP_FAILED', `step ${ctx.stepId}: ${i.message}`, { hint: i.hint }),
      );
    },
  },
];
