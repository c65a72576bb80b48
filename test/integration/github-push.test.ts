// vcs.github pushes: over https the token reaches git only through the env-only credential helper — never argv, the
// remote URL, a file, or a log — and only for remotes on the provider's own host; over ssh it is plain `git push`.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { githubVcsConfigSchema } from '../../providers/vcs/github/config.js';
import { GithubVcs } from '../../providers/vcs/github/github-vcs.js';
import { AidevError } from '../../src/core/errors.js';
import { startGitHttpServer } from '../helpers/git-http-server.js';
import { providerContext } from '../helpers/provider-context.js';
import { git, tempDir, tempRepo } from '../helpers/temp.js';

const TOKEN = 'ghp_SECRET_push_token_1234567890';
const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

/** A `git` first on PATH that records its argv and environment, then runs the real git. */
function gitSpy(): { bin: string; argv: () => string; env: () => string } {
  const bin = tempDir('aidev-gitspy-');
  const logs = tempDir('aidev-gitspy-logs-');
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh\nprintf '%s\\n' "$@" >> "${logs}/argv"\nenv >> "${logs}/env"\nexec "${realGit}" "$@"\n`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  const read = (name: string) => {
    try {
      return readFileSync(join(logs, name), 'utf8');
    } catch {
      return '';
    }
  };
  return { bin, argv: () => read('argv'), env: () => read('env') };
}

function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path).includes(needle)) hits.push(path);
    }
  };
  walk(dir);
  return hits;
}

async function setup(target: (root: string) => Promise<{ remote: string; baseUrl: string }>) {
  const root = tempDir('aidev-githost-');
  mkdirSync(join(root, 'acme'));
  git(join(root, 'acme'), 'init', '-q', '--bare', '-b', 'main', 'api.git');
  const { remote, baseUrl } = await target(root);
  const { dir } = tempRepo();
  git(dir, 'remote', 'add', 'origin', remote);
  git(dir, 'checkout', '-q', '-b', 'feature/AUTH-1');
  writeFileSync(join(dir, 'login.ts'), 'export const login = 1;\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'AUTH-1: Add login');
  const spy = gitSpy();
  const home = tempDir('aidev-home-');
  const lines: string[] = [];
  const log = (m: string) => void lines.push(m);
  const ctx = {
    ...providerContext(githubVcsConfigSchema.parse({ base_url: baseUrl, owner: 'acme', repo: 'api' }), {
      repoRoot: dir,
      path: 'vcs.github',
      // Tracing asked for by the user's shell must not reach git (it would print the helper's exchange).
      env: {
        PATH: `${spy.bin}:${process.env.PATH}`,
        HOME: home,
        GIT_TRACE: '1',
        GIT_CURL_VERBOSE: '1',
        GIT_TRACE_CURL: '1',
      },
    }),
    logger: { debug: log, info: log, warn: log, error: log },
  };
  return { root, dir, spy, home, lines, github: new GithubVcs(ctx, { token: TOKEN, pacing: false }) };
}

describe('vcs.github push', () => {
  it('pushes over https with the token only through the credential helper', async () => {
    let host!: Awaited<ReturnType<typeof startGitHttpServer>>;
    const s = await setup(async (root) => {
      host = await startGitHttpServer({ projectRoot: root, username: 'x-access-token', password: TOKEN });
      // base_url on the same (plain http, loopback) host as the remote: the provider's own host.
      return { remote: `${host.origin}/acme/api.git`, baseUrl: `${host.origin}/api/v3` };
    });
    const { github } = s;

    expect(await github.pushBranch({ cwd: s.dir, branch: 'feature/AUTH-1' })).toEqual({
      remote: 'origin',
      ref: 'refs/heads/feature/AUTH-1',
    });
    expect(git(join(s.root, 'acme/api.git'), 'log', '--format=%s', 'feature/AUTH-1')).toBe(
      'AUTH-1: Add login\ninitial',
    );
    expect(host.credentials).toContain(`x-access-token:${TOKEN}`);

    const argv = s.spy.argv();
    expect(argv).toContain('credential.helper=');
    expect(argv).not.toContain(TOKEN);
    const carriers = s.spy
      .env()
      .split('\n')
      .filter((l) => l.includes(TOKEN))
      .map((l) => l.split('=')[0]);
    expect(new Set(carriers)).toEqual(new Set(['AIDEV_GIT_TOKEN']));
    expect(s.spy.env()).not.toMatch(/^GIT_TRACE|^GIT_CURL_VERBOSE/m);
    expect(git(s.dir, 'remote', 'get-url', 'origin')).toBe(`${host.origin}/acme/api.git`);
    expect(filesContaining(s.dir, TOKEN)).toEqual([]);
    expect(filesContaining(s.home, TOKEN)).toEqual([]);
    expect(filesContaining(s.root, TOKEN)).toEqual([]);
    expect(s.lines.join('\n')).not.toContain(TOKEN);
  });

  it('keeps the token from remotes on other hosts, and its errors never show it', async () => {
    let other!: Awaited<ReturnType<typeof startGitHttpServer>>;
    const s = await setup(async (root) => {
      other = await startGitHttpServer({ projectRoot: root, username: 'someone', password: 'else' });
      return { remote: `${other.origin}/acme/api.git`, baseUrl: 'https://api.github.com' };
    });
    const error = await s.github.pushBranch({ cwd: s.dir, branch: 'feature/AUTH-1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AidevError);
    const e = error as AidevError;
    expect(e.code).toBe('GIT_ERROR');
    expect(`${e.message}\n${e.hint ?? ''}`).not.toContain(TOKEN);
    expect(other.credentials.join('\n')).not.toContain(TOKEN);
    expect(s.spy.argv()).not.toContain('credential.helper');
    expect(s.spy.env()).not.toContain(TOKEN);
  });

  it('pushes over ssh as configured, with no credential helper and no token', async () => {
    const s = await setup(async () => ({
      remote: 'git@github.test:acme/api.git',
      baseUrl: 'https://api.github.com',
    }));
    const sshLog = join(tempDir(), 'ssh.log');
    const ssh = join(s.spy.bin, 'fake-ssh');
    // Stands in for ssh: runs the remote command (git-receive-pack 'acme/api.git') in the fake host's folder.
    writeFileSync(
      ssh,
      `#!/bin/sh\nprintf '%s\\n' "$@" >> "${sshLog}"\nenv >> "${sshLog}.env"\nfor last; do :; done\ncd "${s.root}" && eval "$(printf '%s' "$last" | sed 's/^git-/${realGit.replace(/\//g, '\\/')} /')"\n`,
    );
    chmodSync(ssh, 0o755);
    git(s.dir, 'config', 'core.sshCommand', ssh);
    expect(await s.github.pushBranch({ cwd: s.dir, branch: 'feature/AUTH-1' })).toEqual({
      remote: 'origin',
      ref: 'refs/heads/feature/AUTH-1',
    });
    expect(git(join(s.root, 'acme/api.git'), 'rev-parse', '--verify', 'feature/AUTH-1')).toMatch(
      /^[0-9a-f]{40}$/,
    );
    expect(readFileSync(sshLog, 'utf8')).toContain("git-receive-pack 'acme/api.git'");
    expect(s.spy.argv()).not.toContain('credential.helper');
    expect(readFileSync(`${sshLog}.env`, 'utf8')).not.toContain(TOKEN);
  });
});
