import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execCommand } from '../security/exec.js';
import { reuseDependencies, workspaceReady } from './reuse.js';

const LOCK = JSON.stringify({
  lockfileVersion: 3,
  packages: { '': { name: 'x' }, 'node_modules/left-pad': { version: '1.3.0' } },
});

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function project(installed: string | null = '1.3.0'): { main: string; wt: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aidev-reuse-'));
  dirs.push(dir);
  const main = join(dir, 'main');
  const wt = join(dir, 'wt');
  for (const root of [main, wt]) {
    mkdirSync(root);
    writeFileSync(join(root, 'package.json'), '{"name":"x"}\n');
    writeFileSync(join(root, 'package-lock.json'), LOCK);
  }
  if (installed) {
    mkdirSync(join(main, 'node_modules', 'left-pad'), { recursive: true });
    writeFileSync(join(main, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;\n');
    mkdirSync(join(main, 'node_modules', '.bin'));
    symlinkSync('../left-pad/index.js', join(main, 'node_modules', '.bin', 'left-pad'));
    writeFileSync(
      join(main, 'node_modules', '.package-lock.json'),
      JSON.stringify({ packages: { 'node_modules/left-pad': { version: installed } } }),
    );
  }
  return { main, wt };
}

describe('reuseDependencies', () => {
  it('hard-links node_modules when package.json and the lockfile match the installed tree, and drops npm ci only', async () => {
    const { main, wt } = project();
    const r = await reuseDependencies({
      main,
      worktree: wt,
      setup: ['npm ci', 'npm run build'],
      mode: 'auto',
    });
    expect(r.note).toMatch(/node_modules hard-linked from the main checkout .*"npm ci" was skipped/);
    expect(r.remaining).toEqual(['npm run build']);
    expect(await r.ready).toMatchObject({ how: 'hard-linked' });
    const a = statSync(join(main, 'node_modules/left-pad/index.js'));
    const b = statSync(join(wt, 'node_modules/left-pad/index.js'));
    expect(b.ino).toBe(a.ino);
    // node_modules/.bin entries stay links to their package: a copy of the script would not find its own modules.
    expect(lstatSync(join(wt, 'node_modules/.bin/left-pad')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(wt, 'node_modules/.bin/left-pad'))).toBe('../left-pad/index.js');
  });

  it('copies with mode copy (separate files)', async () => {
    const { main, wt } = project();
    const r = await reuseDependencies({ main, worktree: wt, setup: ['npm ci'], mode: 'copy' });
    expect(r.note).toMatch(/copied/);
    await workspaceReady(wt);
    expect(statSync(join(wt, 'node_modules/left-pad/index.js')).ino).not.toBe(
      statSync(join(main, 'node_modules/left-pad/index.js')).ino,
    );
    expect(readFileSync(join(wt, 'node_modules/left-pad/index.js'), 'utf8')).toContain('module.exports');
    expect(lstatSync(join(wt, 'node_modules/.bin/left-pad')).isSymbolicLink()).toBe(true);
  });

  it('installs instead, saying why, when the lockfile differs, the tree is stale, or reuse is off', async () => {
    const changed = project();
    writeFileSync(join(changed.wt, 'package-lock.json'), LOCK.replace('1.3.0', '1.4.0'));
    const r1 = await reuseDependencies({
      main: changed.main,
      worktree: changed.wt,
      setup: ['npm ci'],
      mode: 'auto',
    });
    expect(r1).toMatchObject({
      note: null,
      remaining: ['npm ci'],
      reason: 'package-lock.json differs from the main checkout',
    });

    const stale = project('1.2.0');
    const r2 = await reuseDependencies({
      main: stale.main,
      worktree: stale.wt,
      setup: ['npm ci'],
      mode: 'auto',
    });
    expect(r2.reason).toMatch(/does not match its package-lock.json/);

    const none = project(null);
    const r3 = await reuseDependencies({
      main: none.main,
      worktree: none.wt,
      setup: ['npm ci'],
      mode: 'auto',
    });
    expect(r3.reason).toBe('the main checkout has no node_modules');

    const off = project();
    const r4 = await reuseDependencies({ main: off.main, worktree: off.wt, setup: ['npm ci'], mode: 'off' });
    expect(r4).toMatchObject({ note: null, reason: 'workspace.reuse is off' });
  });

  it('links in the background: a command in the worktree waits for the whole tree', async () => {
    const { main, wt } = project();
    for (let i = 0; i < 300; i++) writeFileSync(join(main, 'node_modules', 'left-pad', `f${i}.js`), '1;\n');
    const r = await reuseDependencies({ main, worktree: wt, setup: ['npm ci'], mode: 'auto' });
    expect(r.ready).not.toBeNull();
    expect(existsSync(join(wt, 'node_modules'))).toBe(false);
    // No await on r.ready: execCommand itself waits.
    const listed = await execCommand({
      command: 'ls node_modules/left-pad | wc -l',
      cwd: wt,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeoutMs: 10_000,
      outputLimit: 1000,
    });
    expect(listed.output.trim()).toBe('301');
    expect(existsSync(join(dirname(wt), `.linking-${basename(wt)}.json`))).toBe(false);
  });

  it('starts a link over that an earlier process left half done, before any command runs', async () => {
    const { main, wt } = project();
    // What a crash mid-link leaves: the marker and a partial tree beside the worktree, no node_modules inside it.
    const partial = join(dirname(wt), `.linking-${basename(wt)}`);
    mkdirSync(join(partial, 'left-pad'), { recursive: true });
    writeFileSync(
      `${partial}.json`,
      JSON.stringify({ from: join(main, 'node_modules'), worktree: wt, link: true }),
    );
    await workspaceReady(wt);
    expect(readFileSync(join(wt, 'node_modules/left-pad/index.js'), 'utf8')).toContain('module.exports');
    expect(existsSync(partial) || existsSync(`${partial}.json`)).toBe(false);
  });

  it('reports a link that cannot be made to the first command, with the setting that avoids it', async () => {
    const { wt } = project();
    writeFileSync(
      join(dirname(wt), `.linking-${basename(wt)}.json`),
      JSON.stringify({ from: join(wt, 'no-such-node_modules'), worktree: wt, link: true }),
    );
    await expect(workspaceReady(wt)).rejects.toThrow(/could not put the main checkout's node_modules.*/);
    await expect(workspaceReady(wt)).rejects.toMatchObject({
      hint: expect.stringMatching(/workspace.reuse: off/),
    });
  });

  it('says what to delete when the note of an unfinished link is unreadable', async () => {
    const { wt } = project();
    writeFileSync(join(dirname(wt), `.linking-${basename(wt)}.json`), '{"from": ');
    await expect(workspaceReady(wt)).rejects.toThrow(
      /note of an unfinished node_modules link .* is unreadable/,
    );
  });

  it('leaves setup without an install command alone', async () => {
    const { main, wt } = project();
    const r = await reuseDependencies({ main, worktree: wt, setup: ['make deps'], mode: 'auto' });
    expect(r).toMatchObject({ note: null, reason: null, remaining: ['make deps'] });
  });
});
