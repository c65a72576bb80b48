import { describe, expect, it } from 'vitest';
import { chainPlan, todoPlan } from '../../../test/integration/plan-kit.js';
import { parseEditedPlan, planToYaml } from './edit.js';

const limits = { minTasks: 20, maxTasks: 200 };

describe('plan as YAML', () => {
  it('round-trips, and an edit may go below plan.min_tasks (a person decided)', () => {
    const plan = todoPlan();
    expect(parseEditedPlan(planToYaml(plan), 'plan.yaml', limits)).toEqual({ ok: true, plan });
    const small = parseEditedPlan(JSON.stringify(chainPlan(2)), 'plan.yaml', limits);
    expect(small.ok).toBe(true);
  });

  it('names each problem with file:line:col', () => {
    const text = planToYaml(todoPlan()).replace('key: E5-T4\n', 'key: E1-T1\n').replace('- E1-T3', '- E9-T9');
    const result = parseEditedPlan(text, 'plan.yaml', limits);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => `${i.where}: ${i.message}`)).toEqual([
      expect.stringMatching(
        /^plan\.yaml:\d+:\d+: duplicate key "E1-T1" \(first used at epics\.0\.tasks\.0\.key\)$/,
      ),
      expect.stringMatching(
        /^plan\.yaml:\d+:\d+: task E\d-T\d depends on "E9-T9", which is no task key in the plan$/,
      ),
    ]);
    const line = Number(result.issues[0]!.where.split(':')[1]);
    expect(text.split('\n')[line - 1]).toContain('key: E1-T1');
  });

  it('reports YAML syntax errors and an emptied file', () => {
    const broken = parseEditedPlan('project:\n  name: [unclosed\n', 'plan.yaml', limits);
    expect(!broken.ok && broken.issues[0]!.where).toMatch(/^plan\.yaml:\d+:\d+$/);
    expect(parseEditedPlan('# nothing\n', 'plan.yaml', limits)).toEqual({
      ok: false,
      issues: [{ path: [], message: 'the file is empty', where: 'plan.yaml' }],
    });
  });
});
