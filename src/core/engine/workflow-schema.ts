// The zod shapes of a workflow file before normalisation: the top level, one step's common keys, the retry policy.
// Step kinds validate their own block (step-kinds.ts); cross-step rules live in semantic.ts.
import { z } from 'zod';
import { durationSchema } from './duration.js';

export const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const inputDefSchema = z.union([
  z.null().transform(() => ({ required: true })),
  z.string().transform((description) => ({ description, required: true })),
  z
    .strictObject({
      description: z.string().optional(),
      required: z.boolean().optional(),
      default: z.unknown().optional(),
      type: z.enum(['string', 'number', 'boolean']).optional(),
    })
    .transform((d) => ({ ...d, required: d.required ?? d.default === undefined })),
]);

/** A name a workflow can be called by; any other `name:` ("My Custom Workflow") is kept as its title. */
export const WORKFLOW_NAME = /^[A-Za-z0-9_.-]+$/;

export const workflowSchema = z.strictObject({
  name: z.string().min(1, 'name: is empty').optional(),
  description: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  inputs: z
    .union([
      z.array(z.string()).transform((names) => Object.fromEntries(names.map((n) => [n, { required: true }]))),
      z.record(z.string(), inputDefSchema),
    ])
    .optional(),
  steps: z
    .array(z.unknown(), {
      error: (issue) =>
        issue.input === undefined
          ? 'steps: is missing: a workflow is a list of steps'
          : 'steps: must be a list of steps',
    })
    .min(1, 'a workflow needs at least one step'),
});
export type RawWorkflow = z.output<typeof workflowSchema>;

export const retrySchema = z
  .strictObject({
    max_attempts: z
      .number()
      .int('max_attempts must be a whole number')
      .min(1, 'max_attempts must be at least 1 (1 means no retry)')
      .max(100),
    initial_interval: durationSchema.optional(),
    backoff: z.number().min(1, 'backoff is the multiplier between waits; it must be at least 1').optional(),
    max_interval: durationSchema.optional(),
    non_retryable: z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'error codes are UPPER_SNAKE_CASE, e.g. POLICY_DENIED'))
      .optional(),
  })
  .refine((r) => r.max_interval === undefined || (r.initial_interval ?? 1000) <= r.max_interval, {
    message: 'max_interval is shorter than initial_interval',
    path: ['max_interval'],
  });

const stepSchemas = new Map<string, ReturnType<typeof buildStepSchema>>();

/** The keys every step may have, whatever its kind (built once per set of kind keys: zod schemas are costly to make). */
export function stepSchema(kindKeys: readonly string[]): ReturnType<typeof buildStepSchema> {
  const key = kindKeys.join(',');
  let schema = stepSchemas.get(key);
  if (!schema) {
    schema = buildStepSchema(kindKeys);
    stepSchemas.set(key, schema);
  }
  return schema;
}

function buildStepSchema(kindKeys: readonly string[]) {
  const kinds = Object.fromEntries(kindKeys.map((k) => [k, z.unknown().optional()]));
  return z.strictObject({
    id: z
      .string()
      .regex(STEP_ID, 'step ids use letters, digits, _ and -, and start with a letter or _')
      .optional(),
    name: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    ...kinds,
    // The original specification's form (DESIGN.md: Compatibility).
    plugin: z.string().optional(),
    action: z.string().optional(),
    type: z.string().optional(),
    prompt_template: z.string().optional(),
    with: z.record(z.string(), z.unknown()).optional(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    outputs: z
      .record(
        z.string(),
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an output alias is a plain name (letters, digits, _)'),
      )
      .optional(),
    if: z.union([z.string(), z.boolean()]).optional(),
    on_error: z
      .enum(['fail', 'continue', 'retry'], { error: 'on_error is fail, continue or retry' })
      .optional(),
    retry: z.unknown().optional(),
    timeout: durationSchema.optional(),
    compensate: z.unknown().optional(),
  });
}
export type RawStep = Record<string, unknown> & {
  id?: string;
  name?: string;
  title?: string;
  with?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, string>;
  if?: string | boolean;
  on_error?: 'fail' | 'continue' | 'retry';
  retry?: unknown;
  timeout?: number;
  compensate?: unknown;
  plugin?: string;
  action?: string;
  type?: string;
  prompt_template?: string;
};
