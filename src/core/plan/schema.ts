// The shape of a project plan (zod, the source of truth) and its JSON Schema for the model's structured output.
// Cross-item rules (unique keys, known dependencies, no cycles, task counts) live in checks.ts.
import { z } from 'zod';

const KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;
const keySchema = z
  .string()
  .regex(KEY, 'a key is a short id of letters, digits, _ . or -, starting with a letter (e.g. E1, E1-T3)');

export const planTaskSchema = z.strictObject({
  key: keySchema.describe('Unique key of the task within the plan, e.g. E1-T3'),
  title: z
    .string()
    .trim()
    .min(1, 'the title is empty')
    .max(200, 'keep the title under 200 characters')
    .describe('Imperative, under 80 characters'),
  description: z.string().default('').describe('What to do and why, in Markdown'),
  acceptance_criteria: z
    .array(z.string().trim().min(1, 'an acceptance criterion is empty'))
    .default([])
    .describe('How to tell the task is done, one check per item'),
  estimate: z
    .union([z.number().positive('an estimate is above 0').max(1000), z.string().trim().min(1)])
    .optional()
    .describe('Story points (1, 2, 3, 5 or 8)'),
  labels: z.array(z.string().trim().min(1)).default([]).describe('Labels, e.g. backend, frontend, infra'),
  depends_on: z.array(z.string()).default([]).describe('Keys of the tasks that must be done first'),
});

export const planEpicSchema = z.strictObject({
  key: keySchema.describe('Unique key of the epic within the plan, e.g. E1'),
  title: z.string().trim().min(1, 'the title is empty').max(200, 'keep the title under 200 characters'),
  description: z.string().default(''),
  tasks: z.array(planTaskSchema).min(1, 'an epic needs at least one task'),
});

export const planSchema = z.strictObject({
  project: z.strictObject({
    name: z.string().trim().min(1, 'the project needs a name'),
    summary: z.string().default(''),
    repo: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a repository name uses letters, digits, _ . or -')
      .optional()
      .describe('Repository name for the scaffold, e.g. todo-app'),
  }),
  epics: z.array(planEpicSchema).min(1, 'a plan needs at least one epic'),
});

export type Plan = z.output<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type PlanEpic = Plan['epics'][number];
export type PlanTask = PlanEpic['tasks'][number];

let cached: Record<string, unknown> | undefined;

/**
 * The JSON Schema the model fills. It is the schema's output side, so fields with a default are required there:
 * the model states every field, while hand-written plans may leave labels or criteria out.
 */
export function planJsonSchema(): Record<string, unknown> {
  if (cached) return cached;
  const { $schema: _ignored, ...schema } = z.toJSONSchema(planSchema, { io: 'output' }) as Record<
    string,
    unknown
  >;
  cached = schema;
  return schema;
}

/** Every task with its epic, in plan order. */
export function allTasks(plan: Plan): { epic: PlanEpic; task: PlanTask }[] {
  return plan.epics.flatMap((epic) => epic.tasks.map((task) => ({ epic, task })));
}

export function countsOf(plan: Plan): { epics: number; tasks: number; dependencies: number } {
  const tasks = allTasks(plan);
  return {
    epics: plan.epics.length,
    tasks: tasks.length,
    dependencies: tasks.reduce((n, { task }) => n + task.depends_on.length, 0),
  };
}
