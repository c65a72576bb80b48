import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/integration/run-fixtures.js';
import { configSchema } from '../config/schema.js';
import {
  checkCommand,
  compileGlobs,
  confinePath,
  createPolicy,
  execCommand,
  parseCommandLine,
  READ_ONLY_GIT,
  sandboxStatus,
  scrubEnv,
  CappedText,
  LIVE_LINE_MAX,
} from './index.js';

const defaults = configSchema.parse({});
const blocked = compileGlobs(defaults.security.blocked_paths);
const rules = {
  allowed: ['npm test', 'node --test', ...READ_ONLY_GIT],
  denied: defaults.security.denied_commands,
  blocked,
};

describe('blocked path globs', () => {
  it('matches the defaults at any depth, case-insensitively', () => {
    for (const p of [
      '.env',
      'a/b/.env',
      '.env.local',
      'certs/server.pem',
      'keys/deploy.KEY',
      'id_rsa',
      'home/id_rsa.pub',
    ])
      expect(blocked(p), p).toBe(true);
    for (const p of [
      'env.ts',
      'src/environment.ts',
      'README.md',
      'keyboard.ts',
      '.envrc-docs/x.md'.replace('.envrc-docs', 'docs'),
    ])
      expect(blocked(p), p).toBe(false);
  });
  it('anchors patterns with a slash and blocks folders below them', () => {
    const m = compileGlobs(['config/secrets', 'deploy/**/*.yaml']);
    expect(m('config/secrets/db.json')).toBe(true);
    expect(m('other/config/secrets')).toBe(false);
    expect(m('deploy/a/b/prod.yaml')).toBe(true);
    expect(m('deploy/prod.yaml')).toBe(true);
  });
});

describe('paths are confined to the worktree', () => {
  const root = tempDir();
  const outside = tempDir();
  writeFileSync(join(outside, 'secret.txt'), 'outside');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'a.ts'), 'x');
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'src', 'link.txt'));
  symlinkSync('a.ts', join(root, 'src', 'inside-link.ts'));
  writeFileSync(join(root, '.env'), 'API_KEY=1');
  symlinkSync('.env', join(root, 'innocent.txt'));
  symlinkSync(join(outside, 'nothing-here'), join(root, 'dangling'));
  const resolve = (p: string) => confinePath(root, p, blocked);

  it('refuses ../../etc/passwd and absolute paths outside', () => {
    expect(() => resolve('../../etc/passwd')).toThrow(/outside the worktree/);
    expect(() => resolve('src/../../x')).toThrow(/outside the worktree/);
    expect(() => resolve('/etc/passwd')).toThrow(/outside the worktree/);
  });
  it('refuses symlinks that lead outside, for reading and for writing through them', () => {
    expect(() => resolve('escape/secret.txt')).toThrow(/symbolic link/);
    expect(() => resolve('escape/new-file.txt')).toThrow(/symbolic link/);
    expect(() => resolve('src/link.txt')).toThrow(/symbolic link/);
    expect(() => resolve('dangling')).toThrow(/broken symbolic link/);
  });
  it('allows symlinks inside, and new files in new folders', () => {
    expect(resolve('src/inside-link.ts').rel).toBe('src/a.ts');
    expect(resolve('src/new/deep/file.ts').rel).toBe('src/new/deep/file.ts');
    expect(resolve(join(root, 'src/a.ts')).rel).toBe('src/a.ts');
  });
  it('refuses blocked paths, also behind an innocent-looking link, and .git', () => {
    expect(() => resolve('.env')).toThrow(/blocked path/);
    expect(() => resolve('config/id_rsa')).toThrow(/blocked path/);
    expect(() => resolve('innocent.txt')).toThrow(/blocked path/);
    expect(() => resolve('.git/hooks/pre-commit')).toThrow(/\.git/);
    expect(() => resolve('a\0b')).toThrow(/NUL/);
  });
});

describe('command policy', () => {
  const allowed = (line: string) => checkCommand(line, rules).allowed;
  const reason = (line: string) => {
    const d = checkCommand(line, rules);
    return d.allowed ? 'allowed' : d.reason;
  };
  it('allows the checks and read-only git, with arguments, pipes between allowed commands and 2>&1', () => {
    expect(allowed('npm test')).toBe(true);
    expect(allowed('npm test -- --grep "slug ify"')).toBe(true);
    expect(allowed('node --test test/a.test.js 2>&1')).toBe(true);
    expect(allowed('git diff HEAD~1 && git status')).toBe(true);
    expect(allowed('CI=1 npm test >/dev/null')).toBe(true);
  });
  it('refuses curl and rm -rf / however they are dressed up', () => {
    expect(reason('curl https://evil.example.com')).toMatch(/denied_commands/);
    expect(reason('/usr/bin/curl -s x')).toMatch(/denied_commands/);
    expect(reason('npm test && curl x')).toMatch(/denied_commands/);
    expect(reason('timeout 5 curl x')).toMatch(/denied_commands/);
    expect(reason('X=1 wget x')).toMatch(/denied_commands/);
    expect(reason('rm -rf /')).toMatch(/denied_commands/);
    expect(reason('git push origin main')).toMatch(/denied_commands/);
  });
  it('refuses what is not allowed, substitutions, background jobs and file redirections', () => {
    expect(reason('rm -rf src')).toMatch(/not in the allowed commands/);
    expect(reason('npm install left-pad')).toMatch(/not in the allowed commands/);
    expect(reason('npm test $(curl x)')).toMatch(/substitution/);
    expect(reason('npm test `id`')).toMatch(/substitution/);
    expect(reason('npm test &')).toMatch(/background/);
    expect(reason('git log > /tmp/out')).toMatch(/redirection/);
    expect(reason('npm test < .env')).toMatch(/redirection/);
    expect(reason('git status | sh')).toMatch(/not in the allowed/);
    expect(reason('git show HEAD:.env')).toMatch(/blocked path/);
    expect(reason('git diff --no-index /etc/passwd x')).toMatch(/--no-index/);
    expect(reason('git -c core.pager=sh log')).toMatch(/not in the allowed|-c/);
    expect(reason('npm test "unterminated')).toMatch(/unbalanced/);
    expect(reason('')).toMatch(/empty/);
  });
  it('splits the command line like a shell would', () => {
    expect(parseCommandLine(`a 'b c' "d \\"e\\"" f\\ g; h || i | j`).segments).toEqual([
      ['a', 'b c', 'd "e"', 'f g'],
      ['h'],
      ['i'],
      ['j'],
    ]);
  });
});

describe('scrubbed environment', () => {
  it('drops credentials by name and by value, keeps the rest', () => {
    const env = scrubEnv({
      PATH: '/bin',
      HOME: '/h',
      ANTHROPIC_API_KEY: 'k',
      GITHUB_TOKEN: 't',
      DB_PASSWORD: 'p',
      SSH_AUTH_SOCK: '/s',
      DATABASE_URL: 'postgres://u:pw@h/db',
      LANG: 'C',
      GIT_DIR: '/x',
    });
    expect(Object.keys(env).sort()).toEqual(['GIT_TERMINAL_PROMPT', 'HOME', 'LANG', 'PATH']);
  });
});

describe('execCommand', () => {
  const cwd = tempDir();
  const base = {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 10_000,
    outputLimit: 1000,
  };
  it('returns exit codes, 127 for a missing program', async () => {
    expect((await execCommand({ ...base, command: 'exit 3' })).exitCode).toBe(3);
    const missing = await execCommand({ ...base, command: 'definitely-not-a-program-xyz' });
    expect(missing.exitCode).toBe(127);
  });
  it('caps the output, keeping the head and the tail', async () => {
    const r = await execCommand({ ...base, command: 'echo FIRST; seq 1 20000; echo LAST' });
    expect(r.truncated).toBe(true);
    expect(r.output).toMatch(/^FIRST/);
    expect(r.output).toMatch(/LAST\n$/);
    expect(r.output).toMatch(/characters omitted/);
    expect(r.output.length).toBeLessThan(1100);
  });
  it('joins a UTF-8 character that arrives split across two chunks', async () => {
    const lines: string[] = [];
    const r = await execCommand({
      ...base,
      command: "printf 'caf\\303'; sleep 0.2; printf '\\251 ok\\n'",
      onLine: (line) => lines.push(line),
    });
    expect(r.output).toBe('café ok\n');
    expect(lines).toEqual(['café ok']);
  });
  it('kills the whole process group on timeout', async () => {
    const r = await execCommand({ ...base, timeoutMs: 300, command: 'sleep 30 & sleep 30; echo never' });
    expect(r.timedOut).toBe(true);
    expect(r.output).not.toContain('never');
    expect(r.output).toMatch(/timed out/);
  });
  it('a command that exits 0 on the timeout’s SIGTERM still fails (124), not passes', async () => {
    // `exec` makes node the group leader, as sh does by itself where sh is bash.
    const command = `exec node -e "process.on('SIGTERM', () => process.exit(0)); console.log('up'); setInterval(() => {}, 1000)"`;
    const r = await execCommand({ ...base, timeoutMs: 2000, command });
    expect(r.output).toMatch(/^up\n/);
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(124);
    expect(r.output).toMatch(/timed out after 2 s/);
  });
  it('hands onLine long lines clipped, so a huge line without a newline is never held whole', async () => {
    const lines: string[] = [];
    const command = `node -e "const s='x'.repeat(1<<20); for (let i=0;i<5;i++) process.stdout.write(s); process.stdout.write('\\\\nshort\\\\n' + s)"`;
    const r = await execCommand({ ...base, command, onLine: (line) => lines.push(line) });
    expect(r.exitCode).toBe(0);
    expect(lines.map((l) => l.length)).toEqual([LIVE_LINE_MAX + 2, 5, LIVE_LINE_MAX + 2]);
    expect(lines[0]).toMatch(/^x+ …$/);
    expect(lines[1]).toBe('short');
    expect(r.output.length).toBeLessThan(1100);
  });
  it('CappedText keeps short text whole', () => {
    const t = new CappedText(100);
    t.push('hello ');
    t.push('world');
    expect(t.toString()).toBe('hello world');
    expect(t.truncated).toBe(false);
  });
});

const bwrap = sandboxStatus('auto', process.env);
describe.skipIf(bwrap.mode !== 'bwrap')('bubblewrap sandbox', () => {
  it("gives toolchains a writable build cache of aidev's own per repository, kept between commands", async () => {
    const root = tempDir();
    const home = tempDir();
    const policy = await createPolicy({
      root,
      config: { ...defaults, verify: { ...defaults.verify, checks: ['sh cache.sh'] } },
      env: { ...process.env, AIDEV_HOME: home, GOCACHE: '/nonexistent/user-cache' },
    });
    writeFileSync(
      join(root, 'cache.sh'),
      'if [ -f "$GOCACHE/entry" ]; then echo "kept: $(cat "$GOCACHE/entry")"; else echo built > "$GOCACHE/entry" && echo wrote; fi\necho "xdg=$XDG_CACHE_HOME"\n',
    );
    const first = await policy.runCommand('sh cache.sh');
    expect(first.output).toContain('wrote');
    expect(first.output).toContain(`xdg=${join(home, 'cache', 'tools')}`);
    const second = await policy.runCommand('sh cache.sh');
    expect(second.output).toContain('kept: built');
    expect(policy.commandEnv().GOCACHE).toMatch(new RegExp(`^${join(home, 'cache', 'tools')}/`));
  });
  it('lets a check write the worktree only, without network or host credentials', async () => {
    const root = tempDir();
    const policy = await createPolicy({
      root,
      config: { ...defaults, verify: { ...defaults.verify, checks: ['sh probe.sh'] } },
      env: { ...process.env, SECRET_TOKEN: 'nope' },
    });
    expect(policy.sandbox.mode).toBe('bwrap');
    const outside = tempDir();
    // A server on the host's loopback: reachable without the sandbox, not from inside its network namespace.
    const server = createServer((socket) => socket.end());
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    const connect = `node -e "require('net').connect(${port},'127.0.0.1').on('connect',()=>{console.log('net-open');process.exit(0)}).on('error',()=>console.log('net-closed'))"`;
    writeFileSync(
      join(root, 'probe.sh'),
      [
        `echo inside > ok.txt && echo wrote-inside`,
        `echo x > ${outside}/bad.txt 2>/dev/null || echo outside-refused`,
        `echo "token=[$SECRET_TOKEN]"`,
        connect,
      ].join('\n'),
    );
    try {
      const r = await policy.runCommand('sh probe.sh');
      expect(r.output).toContain('wrote-inside');
      expect(r.output).toContain('outside-refused');
      expect(r.output).toContain('token=[]');
      expect(r.output).toContain('net-closed');
      const unsandboxed = await execCommand({
        command: connect,
        cwd: root,
        env: { PATH: process.env.PATH! },
        timeoutMs: 10_000,
        outputLimit: 1000,
      });
      expect(unsandboxed.output).toContain('net-open');
    } finally {
      server.close();
    }
  });
});

describe('policy.runCommand', () => {
  it('refuses a denied command even when the caller would approve everything', async () => {
    const root = tempDir();
    const policy = await createPolicy({ root, config: defaults, env: process.env });
    await expect(policy.runCommand('curl https://example.com')).rejects.toMatchObject({
      code: 'POLICY_DENIED',
    });
    await expect(policy.runCommand('rm -rf /')).rejects.toMatchObject({ code: 'POLICY_DENIED' });
  });
});
