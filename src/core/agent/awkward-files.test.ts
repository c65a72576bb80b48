// The agent's file tools on awkward files: binary, huge, Git LFS pointers, non-UTF-8, CRLF, submodules, symlinks
// out of the worktree. Each gets a clear tool error or a correct result, and no file is corrupted.
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../../../test/integration/run-fixtures.js';
import { configSchema } from '../config/schema.js';
import { createPolicy } from '../security/policy.js';
import { submodulePaths } from '../workspace/submodules.js';
import { runTool, type ToolEnv } from './tools.js';

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

const LFS =
  'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';

async function setup(): Promise<{ r: TempRepo; env: ToolEnv }> {
  const r = makeRepo(
    {
      'README.md': '# x\n',
      'logo.png': '\x89PNG\r\n\x1a\n\0\0\0',
      'data.txt': 'a\0b\n',
      'big.txt': 'line\n'.repeat(300),
      'model.bin.txt': LFS,
      'win.txt': 'one\r\ntwo\r\nthree\r\n',
      '.gitmodules': '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = https://example.com/lib.git\n',
    },
    { remote: false },
  );
  repos.push(r);
  writeFileSync(join(r.root, 'latin.txt'), Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'));
  const config = configSchema.parse({ security: { sandbox: 'none' } });
  const policy = await createPolicy({ root: r.root, config, env: process.env, hidden: [] });
  const env: ToolEnv = {
    policy,
    git: { env: process.env },
    signal: new AbortController().signal,
    outputLimit: 20_000,
    maxFileBytes: 1000,
    commandTimeoutMs: 10_000,
    blockedGlobs: config.security.blocked_paths,
    changed: new Set(),
    submodules: await submodulePaths(r.root),
  };
  return { r, env };
}

const bytes = (r: TempRepo, p: string) => readFileSync(join(r.root, p));

describe('awkward files', () => {
  it('binary files (by extension or a NUL byte) are neither read nor edited', async () => {
    const { r, env } = await setup();
    expect((await runTool('read_file', { path: 'logo.png' }, env)).content).toMatch(/binary file/);
    const before = bytes(r, 'data.txt');
    const edit = await runTool('edit_file', { path: 'data.txt', old_string: 'a', new_string: 'c' }, env);
    expect(edit).toMatchObject({ isError: true, content: expect.stringMatching(/binary file/) });
    expect(bytes(r, 'data.txt').equals(before)).toBe(true);
    expect((await runTool('list_files', {}, env)).content).toMatch(
      /logo\.png \(\d+ B, binary: not readable\)/,
    );
  });

  it('a file over the size limit is read only by range and never edited', async () => {
    const { r, env } = await setup();
    expect((await runTool('read_file', { path: 'big.txt' }, env)).content).toMatch(
      /over the 1000-byte limit/,
    );
    expect((await runTool('read_file', { path: 'big.txt', start_line: 1, end_line: 2 }, env)).isError).toBe(
      false,
    );
    const edit = await runTool(
      'edit_file',
      { path: 'big.txt', old_string: 'line\nline\nline\n', new_string: 'x' },
      env,
    );
    expect(edit.content).toMatch(/not edited by the agent/);
    expect(bytes(r, 'big.txt').length).toBe(1500);
  });

  it('a Git LFS pointer is shown as a pointer and never edited or overwritten as text', async () => {
    const { r, env } = await setup();
    expect((await runTool('read_file', { path: 'model.bin.txt' }, env)).content).toMatch(
      /Git LFS pointer, not the file's content/,
    );
    expect(
      (
        await runTool(
          'edit_file',
          { path: 'model.bin.txt', old_string: 'size 12345', new_string: 'size 1' },
          env,
        )
      ).content,
    ).toMatch(/Git LFS pointer/);
    expect((await runTool('write_file', { path: 'model.bin.txt', content: 'weights' }, env)).isError).toBe(
      true,
    );
    expect(bytes(r, 'model.bin.txt').toString()).toBe(LFS);
  });

  it('a Latin-1 file is read as text and edited without corrupting its other bytes', async () => {
    const { r, env } = await setup();
    expect((await runTool('read_file', { path: 'latin.txt' }, env)).content).toMatch(
      /café crème[\s\S]*not UTF-8/,
    );
    const ok = await runTool('edit_file', { path: 'latin.txt', old_string: 'café', new_string: 'thé' }, env);
    expect(ok.isError).toBe(false);
    expect(bytes(r, 'latin.txt').equals(Buffer.from('th\xe9 cr\xe8me\n', 'latin1'))).toBe(true);
    const bad = await runTool(
      'edit_file',
      { path: 'latin.txt', old_string: 'thé', new_string: 'tea ☕' },
      env,
    );
    expect(bad.content).toMatch(/not UTF-8.*no Latin-1 byte/);
    expect(bytes(r, 'latin.txt').equals(Buffer.from('th\xe9 cr\xe8me\n', 'latin1'))).toBe(true);
  });

  it('a CRLF file keeps CRLF after an edit written with LF', async () => {
    const { r, env } = await setup();
    await runTool('edit_file', { path: 'win.txt', old_string: 'one\ntwo', new_string: 'one\n1.5\ntwo' }, env);
    expect(bytes(r, 'win.txt').toString()).toBe('one\r\n1.5\r\ntwo\r\nthree\r\n');
  });

  it('nothing is written inside a git submodule', async () => {
    const { env } = await setup();
    expect(env.submodules).toEqual(['vendor/lib']);
    const w = await runTool('write_file', { path: 'vendor/lib/x.c', content: 'int x;\n' }, env);
    expect(w.content).toMatch(/inside the git submodule vendor\/lib/);
  });

  it('a symlink pointing out of the worktree is refused', async () => {
    const { r, env } = await setup();
    symlinkSync('/etc', join(r.root, 'etc-link'));
    const read = await runTool('read_file', { path: 'etc-link/hostname' }, env);
    expect(read).toMatchObject({ isError: true, denied: true });
  });
});
