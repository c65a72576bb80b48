import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, TODO_PLAN_FILE } from '../../../test/integration/plan-kit.js';
import { tempDir } from '../../../test/helpers/temp.js';
import { AidevError } from '../errors.js';
import { buildRequest, readPlanFile } from './request.js';

const limits = { minTasks: 1, maxTasks: 200 };

function thrown(fn: () => unknown): AidevError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AidevError);
    return error as AidevError;
  }
  throw new Error('expected an error');
}

describe('the project request', () => {
  it('refuses an empty idea with a hint', () => {
    const error = thrown(() => buildRequest({ idea: '   ' }));
    expect(error).toMatchObject({
      code: 'USAGE',
      exitCode: 2,
      message: 'the idea is empty: there is nothing to plan',
    });
    expect(error.hint).toContain('aidev plan "A todo app with auth"');
  });

  it('refuses an idea over 100,000 characters and points to --from-file', () => {
    const error = thrown(() => buildRequest({ idea: 'x'.repeat(100_001) }));
    expect(error.message).toBe('the idea is 100,001 characters; the command line takes at most 100,000');
    expect(error.hint).toContain('--from-file request.yaml');
    expect(buildRequest({ idea: 'y'.repeat(100_000) }).idea).toHaveLength(100_000);
  });

  it('merges flags with a request file (JSON or YAML), without duplicates', () => {
    const file = readPlanFile(join(fixtures, 'request.json'), '/', limits);
    expect(file.kind).toBe('request');
    if (file.kind !== 'request') return;
    const request = buildRequest({
      file,
      requirements: ['Each user sees only their own todos', 'Offline mode'],
      stack: ['React'],
    });
    expect(request).toEqual({
      idea: 'A todo app with auth',
      requirements: [
        'Users sign up with email and password',
        'Each user sees only their own todos',
        'Offline mode',
      ],
      stack: ['TypeScript', 'Node.js', 'PostgreSQL', 'React'],
    });
    const yaml = readPlanFile('request.yaml', fixtures, limits);
    expect(yaml.kind === 'request' && yaml.request.stack).toEqual(['Python', 'FastAPI']);
  });

  it('tells a finished plan from a request by its shape', () => {
    const file = readPlanFile(TODO_PLAN_FILE, '/', limits);
    expect(file.kind).toBe('plan');
    expect(file.kind === 'plan' && file.plan.epics).toHaveLength(5);
  });

  it('points at file:line:col for a broken plan file, and names both shapes for neither', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'plan.yaml'),
      'project:\n  name: X\nepics:\n  - key: E1\n    title: One\n    tasks:\n      - key: T1\n        title: A\n        depends_on: [T2]\n',
    );
    const error = thrown(() => readPlanFile('plan.yaml', dir, limits));
    expect(error.message).toBe(
      'plan.yaml is not a valid plan (1 problem):\n  plan.yaml:9:22: task T1 depends on "T2", which is no task key in the plan',
    );
    writeFileSync(join(dir, 'odd.json'), '{"title": "x"}');
    const odd = thrown(() => readPlanFile('odd.json', dir, limits));
    expect(odd.message).toContain('odd.json is not a valid project request');
    expect(odd.message).toContain(
      'odd.json:1:2: unknown field "title" (a request has description, requirements, tech_stack)',
    );
    expect(odd.hint).toContain('a finished plan is {project');
    writeFileSync(join(dir, 'bad.json'), '{"description": ');
    expect(thrown(() => readPlanFile('bad.json', dir, limits)).message).toMatch(
      /^bad\.json is not valid JSON: /,
    );
    expect(thrown(() => readPlanFile('missing.yaml', dir, limits)).message).toBe(
      'cannot read missing.yaml (ENOENT)',
    );
  });
});
