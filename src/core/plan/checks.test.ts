import { describe, expect, it } from 'vitest';
import { chainPlan, todoPlanInput } from '../../../test/integration/plan-kit.js';
import { findCycle, topologicalTasks, validatePlan } from './checks.js';
import { planJsonSchema, planSchema } from './schema.js';

const limits = { minTasks: 1, maxTasks: 100 };
const messages = (value: unknown, l = limits) => {
  const r = validatePlan(value, l);
  return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('plan checks', () => {
  it('accepts the 25-task fixture and fills defaults of hand-written plans', () => {
    expect(messages(todoPlanInput(), { minTasks: 20, maxTasks: 200 })).toEqual([]);
    const sparse = {
      project: { name: 'X' },
      epics: [{ key: 'E1', title: 'E', tasks: [{ key: 'T1', title: 'Do it' }] }],
    };
    const r = validatePlan(sparse, limits);
    expect(r.ok && r.plan.epics[0]!.tasks[0]).toMatchObject({
      labels: [],
      depends_on: [],
      acceptance_criteria: [],
    });
  });

  it('names duplicate keys with where the key was first used', () => {
    const plan = chainPlan(3);
    plan.epics[0]!.tasks[2]!.key = 'T1';
    plan.epics[0]!.tasks[2]!.depends_on = [];
    expect(messages(plan)).toEqual([
      'epics.0.tasks.2.key: duplicate key "T1" (first used at epics.0.tasks.0.key)',
    ]);
  });

  it('refuses dependencies on unknown keys and on epics', () => {
    const plan = chainPlan(2);
    plan.epics[0]!.tasks[1]!.depends_on = ['T9', 'E1'];
    expect(messages(plan)).toEqual([
      'epics.0.tasks.1.depends_on.0: task T2 depends on "T9", which is no task key in the plan',
      'epics.0.tasks.1.depends_on.1: task T2 depends on "E1", which is an epic; depend on tasks only',
    ]);
  });

  it('finds a dependency cycle and prints it as a path', () => {
    const plan = chainPlan(3);
    plan.epics[0]!.tasks[0]!.depends_on = ['T3'];
    expect(messages(plan)).toEqual(['epics.0.tasks.0.depends_on: dependency cycle: T1 → T3 → T2 → T1']);
    const self = chainPlan(1);
    self.epics[0]!.tasks[0]!.depends_on = ['T1'];
    expect(findCycle(planSchema.parse(self))).toEqual(['T1', 'T1']);
  });

  it('holds the task count within the limits', () => {
    expect(messages(chainPlan(3), { minTasks: 20, maxTasks: 200 })).toEqual([
      'epics: the plan has 3 tasks; at least 20 are needed (plan.min_tasks)',
    ]);
    expect(messages(chainPlan(3), { minTasks: 1, maxTasks: 2 })).toEqual([
      'epics: the plan has 3 tasks; at most 2 are allowed (plan.max_tasks)',
    ]);
  });

  it('reports shape problems with their paths, unknown fields included', () => {
    const plan = chainPlan(1) as Record<string, unknown>;
    (plan.epics as { tasks: Record<string, unknown>[] }[])[0]!.tasks[0]!.priority = 'high';
    delete (plan.project as Record<string, unknown>).name;
    expect(messages(plan)).toEqual(
      expect.arrayContaining([
        'epics.0.tasks.0.priority: unknown field "priority"',
        expect.stringMatching(/^project\.name: /),
      ]),
    );
  });

  it('orders tasks so dependencies come first, whatever the plan order', () => {
    const plan = chainPlan(3);
    plan.epics[0]!.tasks.reverse();
    expect(topologicalTasks(planSchema.parse(plan))).toEqual(['T1', 'T2', 'T3']);
  });

  it('gives the model a JSON Schema where every field with a default is required', () => {
    const schema = planJsonSchema() as {
      properties: { epics: { items: { properties: { tasks: { items: { required: string[] } } } } } };
    };
    expect(schema).not.toHaveProperty('$schema');
    expect(schema.properties.epics.items.properties.tasks.items.required).toEqual(
      expect.arrayContaining(['key', 'title', 'description', 'acceptance_criteria', 'labels', 'depends_on']),
    );
  });
});
