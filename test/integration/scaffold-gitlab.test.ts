// `aidev plan --scaffold` with vcs: gitlab: the project is created through the GitLab contract fake (in the user's
// namespace) and main is pushed over http to a real `git http-backend` on the same host, the token reaching git only
// through the credential helper. One loopback origin plays GitLab: /api/v4 goes to the fake, the rest to git.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ChatProvider } from '../../providers/types.js';
import { runPlan } from '../../src/commands/plan.js';
import { autoApprover } from '../../src/core/approvals.js';
import { startGitlabFake } from '../helpers/contract/gitlab-fake.js';
import { startGitHttpServer } from '../helpers/git-http-server.js';
import { gitIdentity, tempDir, tempRepo } from '../helpers/temp.js';
import { chainPlan } from './plan-kit.js';

const TOKEN = 'glpat-scaffold-token';

/** One origin in front of two servers: GitLab's API paths to `api`, everything else to `git`. */
async function frontDoor(): Promise<{ origin: string; route(api: string, git: string): void }> {
  let targets = { api: '', git: '' };
  const server = createServer((req, res) => {
    const base = req.url?.startsWith('/api/v4/') ? targets.api : targets.git;
    const upstream = request(
      `${base}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, route: (api, git) => (targets = { api, git }) };
}

describe('aidev plan --scaffold with vcs: gitlab', () => {
  it('creates the project in the user namespace and pushes main with the token through the helper only', async () => {
    const door = await frontDoor();
    const fake = await startGitlabFake({ token: TOKEN, webOrigin: door.origin });
    const projectRoot = tempDir('aidev-githost-');
    mkdirSync(join(projectRoot, 'aidev-bot'));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(projectRoot, 'aidev-bot', 'chain.git')]);
    const git = await startGitHttpServer({ projectRoot, username: 'oauth2', password: TOKEN });
    door.route(fake.api.origin, git.origin);

    const { dir } = tempRepo({
      files: { '.aidevrc.yaml': `vcs:\n  provider: gitlab\n  gitlab: {base_url: '${door.origin}'}\n` },
    });
    const planFile = join(tempDir(), 'plan.json');
    writeFileSync(planFile, JSON.stringify(chainPlan(2)));
    const target = join(tempDir(), 'chain');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...gitIdentity,
      AIDEV_HOME: tempDir('aidev-home-'),
      GITLAB_TOKEN: TOKEN,
    };
    const chat: ChatProvider = { id: 'quiet', notify: () => Promise.resolve({ id: null, threadId: null }) };
    const result = await runPlan({
      cwd: dir,
      env,
      approver: autoApprover,
      fromFile: planFile,
      scaffold: target,
      prepare: (session) => {
        session.providers.set('chat', chat);
      },
    });
    if (result.kind !== 'plan') throw new Error('expected a plan result');
    const r = result.result;
    expect(r, JSON.stringify(r.error)).toMatchObject({ status: 'published' });
    expect(r.scaffold).toMatchObject({ dir: target, remote: `${door.origin}/aidev-bot/chain.git` });
    expect(fake.projects.has('aidev-bot/chain')).toBe(true);
    expect(fake.api.calls('Projects.create')[0]!.body).toMatchObject({
      name: 'chain',
      visibility: 'private',
    });
    // main reached the host, pushed with oauth2:<token> that git got from the helper.
    const head = execFileSync('git', ['rev-parse', 'main'], {
      cwd: join(projectRoot, 'aidev-bot', 'chain.git'),
      encoding: 'utf8',
    });
    expect(head.trim()).toBe(r.scaffold!.commit);
    expect(git.credentials).toContain(`oauth2:${TOKEN}`);
    expect(readFileSync(join(target, '.git', 'config'), 'utf8')).not.toContain(TOKEN);
  });
});
