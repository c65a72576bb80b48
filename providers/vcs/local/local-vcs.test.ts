import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerContext, steppingClock } from '../../../test/helpers/provider-context.js';
import { git, tempDir, tempRepo } from '../../../test/helpers/temp.js';
import { AidevError } from '../../../src/core/errors.js';
import { localVcsConfigSchema } from './config.js';
import { LocalVcs } from './local-vcs.js';

function vcsFor(dir: string) {
  return new LocalVcs(
    providerContext(localVcsConfigSchema.parse({}), { repoRoot: dir, clock: steppingClock() }),
  );
}

describe('LocalVcs', () => {
  it('pushes a branch to a bare remote and records the PR as a file it can find again', async () => {
    const { dir, remote } = tempRepo({ remote: true });
    git(dir, 'checkout', '-qb', 'feature/T-1');
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'a');
    const vcs = vcsFor(dir);
    await expect(vcs.pushBranch({ cwd: dir, branch: 'feature/T-1' })).resolves.toEqual({
      remote: 'origin',
      ref: 'refs/heads/feature/T-1',
    });
    expect(git(remote!, 'rev-parse', 'feature/T-1')).toBe(git(dir, 'rev-parse', 'HEAD'));
    const pr = await vcs.openPullRequest({
      title: 'T-1: a',
      body: 'Body',
      head: 'feature/T-1',
      base: 'main',
      draft: true,
    });
    expect(pr.url).toBe(join(dir, '.aidev/pull-requests/feature-T-1.md'));
    expect(await vcs.findPullRequest({ head: 'feature/T-1' })).toMatchObject({
      title: 'T-1: a',
      draft: true,
      state: 'open',
      base: 'main',
    });
    expect(await vcs.findPullRequest({ head: 'other' })).toBeNull();
    expect((await vcs.repoInfo()).remoteUrl).toBe(remote);
  });

  it('explains a missing remote and a rejected push', async () => {
    const { dir } = tempRepo();
    const error = await vcsFor(dir)
      .pushBranch({ cwd: dir, branch: 'main' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AidevError);
    expect((error as AidevError).message).toContain('no git remote "origin"');

    const { dir: a, remote } = tempRepo({ remote: true });
    const other = tempDir();
    git(other, 'clone', '-q', remote!, '.');
    writeFileSync(join(other, 'b.txt'), 'b');
    git(other, 'add', '-A');
    git(other, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-qm', 'b');
    git(other, 'push', '-q', 'origin', 'main');
    writeFileSync(join(a, 'c.txt'), 'c');
    git(a, 'add', '-A');
    git(a, 'commit', '-qm', 'c');
    const rejected = (await vcsFor(a)
      .pushBranch({ cwd: a, branch: 'main' })
      .catch((e: unknown) => e)) as AidevError;
    expect(rejected.message).toMatch(/was rejected/);
    expect(rejected.hint).toContain('aidev resume');
  });
});
