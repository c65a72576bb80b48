// doctor proves a SaaS provider's credentials with one call (AuthChecker), against the Linear contract fake.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/commands/doctor.js';
import { startLinearFake, type LinearFake } from '../helpers/contract/linear-fake.js';
import { tempDir, tempRepo } from '../helpers/temp.js';

let fake: LinearFake | undefined;
afterEach(async () => {
  await fake?.server.close();
  fake = undefined;
});

async function doctorWith(key: string) {
  fake = await startLinearFake({ apiKey: 'lin_api_right' });
  const { dir } = tempRepo();
  writeFileSync(
    join(dir, '.aidevrc.yaml'),
    `tasks:\n  provider: linear\n  linear:\n    team: ENG\n    base_url: ${fake.url}\n`,
  );
  const env = {
    AIDEV_HOME: tempDir(),
    LINEAR_API_KEY: key,
    ANTHROPIC_API_KEY: 'x',
    AIDEV_NO_CONFIG_CACHE: '1',
  };
  return runDoctor({ cwd: dir, env });
}

describe('aidev doctor reachability', () => {
  it('reports who the key belongs to', async () => {
    const result = await doctorWith('lin_api_right');
    expect(result.checks.find((c) => c.name === 'tasks (linear) reach')).toMatchObject({ state: 'ok' });
    expect(fake!.calls()).toContain('viewer');
  });

  it('fails with a hint when the key is refused, without printing it', async () => {
    const result = await doctorWith('lin_api_wrong');
    const check = result.checks.find((c) => c.name === 'tasks (linear) reach');
    expect(check?.state).toBe('fail');
    expect(check?.hint).toBeTruthy();
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('lin_api_wrong');
  });

  it('makes no call with --offline', async () => {
    fake = await startLinearFake({ apiKey: 'k' });
    const { dir } = tempRepo();
    writeFileSync(
      join(dir, '.aidevrc.yaml'),
      `tasks:\n  provider: linear\n  linear:\n    team: ENG\n    base_url: ${fake.url}\n`,
    );
    const result = await runDoctor({
      cwd: dir,
      env: { AIDEV_HOME: tempDir(), LINEAR_API_KEY: 'k' },
      offline: true,
    });
    expect(result.checks.some((c) => c.name.endsWith('reach'))).toBe(false);
    expect(fake.calls()).toEqual([]);
  });
});

describe('aidev doctor credential sets', () => {
  it('names both alternatives when neither Jira credential set is complete', async () => {
    const { dir } = tempRepo();
    writeFileSync(
      join(dir, '.aidevrc.yaml'),
      'tasks:\n  provider: jira\n  jira:\n    url: http://127.0.0.1:9\n    project: PROJ\n',
    );
    const result = await runDoctor({
      cwd: dir,
      env: { AIDEV_HOME: tempDir(), JIRA_EMAIL: 'me@x.test' },
      offline: true,
    });
    expect(result.checks.find((c) => c.name === 'tasks (jira)')).toMatchObject({
      state: 'fail',
      detail: 'missing JIRA_EMAIL + JIRA_API_TOKEN, or JIRA_PAT',
    });
    const pat = await runDoctor({ cwd: dir, env: { AIDEV_HOME: tempDir(), JIRA_PAT: 'p' }, offline: true });
    expect(pat.checks.find((c) => c.name === 'tasks (jira)')).toMatchObject({
      state: 'ok',
      detail: 'credentials present: JIRA_PAT',
    });
  });
});
