// `uses: <category>.<action>`: calls a provider action from the action table, validating `with:` against its schema.
import { z } from 'zod';
import { AidevError } from '../../errors.js';
import { closest } from '../../config/issues.js';
import { actionNames, findAction, suggestAction } from '../actions/index.js';
import { OUTPUTS_FROM_WITH } from '../actions/workflow.js';
import type { StepKindHandler, ValidationIssue } from '../types.js';

export const usesStepKind: StepKindHandler<string> = {
  kind: 'uses',
  schema: z
    .string({ error: 'uses: names an action as <category>.<action>, e.g. tasks.get' })
    .regex(/^[a-z_]+\.[a-z_]+$/, 'write the action as <category>.<action>, e.g. tasks.get'),
  validate(spec, step) {
    const action = findAction(spec);
    if (!action) {
      const guess = suggestAction(spec);
      const category = spec.split('.')[0]!;
      const inCategory = actionNames().filter((n) => n.startsWith(category + '.'));
      return [
        {
          message: `unknown action "${spec}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
          hint: inCategory.length
            ? `${category} actions: ${inCategory.join(', ')}`
            : `actions: ${actionNames().join(', ')}`,
          path: ['uses'],
        },
      ];
    }
    return checkWithKeys(action.input, step.with);
  },
  outputs(spec, step) {
    const action = findAction(spec);
    if (!action) return undefined;
    if (action.outputs.includes(OUTPUTS_FROM_WITH)) return step ? Object.keys(step.with) : undefined;
    return action.outputs;
  },
  async execute(spec, input, ctx) {
    const action = findAction(spec);
    if (!action)
      throw new AidevError('WORKFLOW_INVALID', `unknown action "${spec}"`, {
        hint: 'run `aidev workflow validate` on the file',
      });
    const parsed = action.input.safeParse(input);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `with.${i.path.join('.') || '(all)'}: ${i.message}`);
      throw new AidevError('STEP_FAILED', `step ${ctx.stepId} (${spec}): bad input: ${lines.join('; ')}`, {
        hint: 'check the values the `with:` block resolves to (`aidev runs show <run>` lists them)',
      });
    }
    return action.run(parsed.data as Record<string, unknown>, ctx);
  },
  async compensate(spec, input, output, ctx) {
    const action = findAction(spec);
    if (action?.compensate) await action.compensate(input, output, ctx);
  },
};

/** Load-time check of `with:` keys: unknown keys (with a guess) and missing required ones, when the schema is an object. */
function checkWithKeys(schema: z.ZodType, given: Record<string, unknown>): ValidationIssue[] {
  const shape = objectShape(schema);
  if (!shape) return [];
  const known = Object.keys(shape);
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      const guess = closest(key, known);
      issues.push({
        message: `unknown input "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
        hint: known.length ? `this action takes: ${known.join(', ')}` : 'this action takes no inputs',
        path: ['with', key],
      });
    }
  }
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in given) && !field.safeParse(undefined).success) {
      issues.push({
        message: `missing input "${key}"`,
        hint: `add \`${key}:\` under \`with:\``,
        path: ['with'],
      });
    }
  }
  return issues;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let node: z.ZodType = schema;
  // Unwrap refinements (zod 4 keeps them on the object itself) and pipes.
  while (node instanceof z.ZodPipe) node = node.in as z.ZodType;
  return node instanceof z.ZodObject ? node.shape : undefined;
}
