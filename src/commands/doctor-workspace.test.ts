import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../core/config/load.js';
import { programOf, workspaceDoctorChecks } from './doctor-workspace.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function loaded(
  files: Record<string, string>,
  setup: string[],
  checks: string[],
  packages: { path: string; name?: string; checks?: string[] }[] = [],
): LoadedConfig {
  const repoRoot = mkdtempSync(join(tmpdir(), 'aidev-doctor-ws-'));
  dirs.push(repoRoot);
  for (const [p, t] of Object.entries(files)) writeFileSync(join(repoRoot, p), t);
  return {
    repoRoot,
    config: { workspace: { setup }, verify: { checks, packages } },
  } as unknown as LoadedConfig;
}

describe('workspaceDoctorChecks', () => {
  it('warns when a check program is not installed, naming the key and command', () => {
    const l = loaded({}, ['npm ci'], ['no-such-runner-q7 --all', 'node --test']);
    const [tools] = workspaceDoctorChecks(l, process.env);
    expect(tools).toMatchObject({ name: 'check tools', state: 'warn' });
    expect(tools!.detail).toContain(
      'no-such-runner-q7 is not installed (verify.checks: no-such-runner-q7 --all)',
    );
    expect(tools!.detail).not.toContain('node is not installed');
  });

  it("looks at a monorepo package's own checks too, naming the package", () => {
    const l = loaded(
      {},
      [],
      ['node --test'],
      [{ path: 'packages/api', name: 'api', checks: ['no-such-runner-q8 api'] }],
    );
    const [tools] = workspaceDoctorChecks(l, process.env);
    expect(tools!.detail).toBe(
      'no-such-runner-q8 is not installed (verify.packages[api]: no-such-runner-q8 api)',
    );
  });

  it('finds a repo wrapper like ./gradlew, and says ok when all are there', () => {
    const l = loaded({ gradlew: '#!/bin/sh\n' }, [], ['./gradlew test', 'CI=1 node --test']);
    chmodSync(join(l.repoRoot, 'gradlew'), 0o755);
    expect(workspaceDoctorChecks(l, process.env)[0]).toMatchObject({ state: 'ok' });
  });

  it('warns about detected checks that are not configured', () => {
    const l = loaded({ 'go.mod': 'module x\n' }, [], ['go test ./...']);
    const detected = workspaceDoctorChecks(l, { PATH: '' }).find((c) => c.name === 'detected checks');
    expect(detected?.detail).toContain('go vet ./... (from go.mod)');
  });

  it('programOf skips assignments and builtins', () => {
    expect(programOf('FOO=1 BAR=2 pytest -q')).toBe('pytest');
    expect(programOf('true')).toBeNull();
  });
});
