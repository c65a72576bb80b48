// doctor proves the GitLab, Bitbucket and Asana credentials with one call each (GET /user, GET /user, GET /users/me)
// against their contract fakes, and `providers list` shows the configured ones ready.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/commands/doctor.js';
import { runProvidersList } from '../../src/commands/providers.js';
import { PROJECT, startAsanaFake } from '../helpers/contract/asana-fake.js';
import { startBitbucketFake } from '../helpers/contract/bitbucket-fake.js';
import { startGitlabFake } from '../helpers/contract/gitlab-fake.js';
import { tempDir, tempRepo } from '../helpers/temp.js';

async function world(vcs: 'gitlab' | 'bitbucket', tokens: Record<string, string>) {
  const gitlab = await startGitlabFake({ token: 'glpat-right' });
  const bitbucket = await startBitbucketFake({ token: 'bb-right' });
  const asana = await startAsanaFake({ token: 'asana-right' });
  const { dir } = tempRepo();
  const vcsBlock =
    vcs === 'gitlab'
      ? `  gitlab: {base_url: '${gitlab.baseUrl}', project: acme/platform/api}`
      : `  bitbucket: {base_url: '${bitbucket.baseUrl}', workspace: acme, repo: api}`;
  writeFileSync(
    join(dir, '.aidevrc.yaml'),
    [
      'tasks:',
      '  provider: asana',
      `  asana: {base_url: '${asana.baseUrl}', project: '${PROJECT}'}`,
      'vcs:',
      `  provider: ${vcs}`,
      vcsBlock,
      '',
    ].join('\n'),
  );
  const env = { AIDEV_HOME: tempDir(), ANTHROPIC_API_KEY: 'x', AIDEV_NO_CONFIG_CACHE: '1', ...tokens };
  return { dir, env, gitlab, bitbucket, asana };
}

describe('aidev doctor and providers list with gitlab, bitbucket and asana', () => {
  it('GitLab and Asana: the tokens are proven with GET /user and GET /users/me, and both are listed ready', async () => {
    const w = await world('gitlab', { GITLAB_TOKEN: 'glpat-right', ASANA_TOKEN: 'asana-right' });
    const result = await runDoctor({ cwd: w.dir, env: w.env });
    expect(result.checks.find((c) => c.name === 'vcs (gitlab) reach')).toMatchObject({ state: 'ok' });
    expect(result.checks.find((c) => c.name === 'tasks (asana) reach')).toMatchObject({ state: 'ok' });
    expect(w.gitlab.api.calls('Users.showCurrentUser')).toHaveLength(1);
    expect(w.asana.api.calls('UsersApi.getUser')[0]!.path).toBe('/api/1.0/users/me');
    const { providers } = await runProvidersList({ cwd: w.dir, env: w.env });
    for (const id of ['gitlab', 'asana'])
      expect(providers.find((p) => p.id === id)).toMatchObject({ configured: true, ready: true });
  });

  it('Bitbucket with a refused token: the reach check fails with the hint, and the token is never printed', async () => {
    const w = await world('bitbucket', { BITBUCKET_TOKEN: 'bb-wrong', ASANA_TOKEN: 'asana-right' });
    const result = await runDoctor({ cwd: w.dir, env: w.env });
    const check = result.checks.find((c) => c.name === 'vcs (bitbucket) reach');
    expect(check).toMatchObject({ state: 'fail' });
    expect(check?.hint).toContain('BITBUCKET_TOKEN');
    expect(JSON.stringify(result)).not.toContain('bb-wrong');
    expect(w.bitbucket.api.calls('users.getAuthedUser')).toHaveLength(1);
  });

  it('Bitbucket without any credential: providers list says it is not ready', async () => {
    const w = await world('bitbucket', { ASANA_TOKEN: 'asana-right' });
    const { providers } = await runProvidersList({ cwd: w.dir, env: w.env });
    expect(providers.find((p) => p.id === 'bitbucket')).toMatchObject({ configured: true, ready: false });
  });
});
