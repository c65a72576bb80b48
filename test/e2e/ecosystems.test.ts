// Issue 14: on a generated project of each ecosystem (npm with a real dependency, Python with pytest, Rust with cargo,
// a Makefile), `aidev init --yes` detects setup and checks, and `aidev run T-1 --yes` with the scripted model fixes a
// seeded bug, setup and checks really running in the worktree (checks in the sandbox when bubblewrap works here).
// A toolchain missing on this machine skips its ecosystem with a warning naming it; .ci/run installs them on Debian.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunSummary } from '../../src/commands/run.js';
import { openLedger } from '../../src/core/ledger/index.js';
import { gitEnvForTests, makeRepo, sh, writeScript, type TempRepo } from '../integration/run-fixtures.js';
import { aidev, ECOSYSTEMS, fixScript, hasTool, taskFile, type Ecosystem } from './ecosystem-fixtures.js';

const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

function missingTools(eco: Ecosystem): string[] {
  return eco.tools.filter((t) => !hasTool(t.probe)).map((t) => t.name);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The fixture committed and pushed, its generated files (lockfile, vendored tarball) included. */
function fixtureRepo(eco: Ecosystem, env: Record<string, string | undefined>): TempRepo {
  const r = makeRepo(eco.files);
  repos.push(r);
  if (eco.prepare) {
    eco.prepare(r.root, env);
    r.git('add', '-A');
    r.git('commit', '--quiet', '-m', 'lockfile');
    r.git('push', '--quiet', 'origin', 'main');
  }
  return r;
}

for (const eco of ECOSYSTEMS) {
  const missing = missingTools(eco);
  if (missing.length)
    console.warn(
      `ecosystems e2e: SKIPPED ${eco.name}: ${missing.join(', ')} not installed here (.ci/run installs it)`,
    );

  describe.skipIf(missing.length > 0)(`${eco.name} project`, () => {
    it('init --yes detects setup and checks; run fixes the seeded bug with setup and checks run in the worktree', async () => {
      const env = {
        ...gitEnvForTests,
        CI: '1',
        NO_COLOR: '1',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      };
      const r = fixtureRepo(eco, env);
      const runEnv = { ...env, AIDEV_HOME: r.home };

      // 1. init: the detected commands, each with the file it came from.
      const init = await aidev(['init', '--yes'], r.root, runEnv);
      expect(init.code, init.stderr).toBe(0);
      const yaml = readFileSync(`${r.root}/.aidevrc.yaml`, 'utf8');
      const config = parse(yaml) as { workspace: { setup: string[] }; verify: { checks: string[] } };
      expect(config.workspace.setup).toEqual(eco.setup.map(([c]) => c));
      expect(config.verify.checks).toEqual(eco.checks.map(([c]) => c));
      for (const [command, from] of [...eco.setup, ...eco.checks])
        expect(yaml).toMatch(new RegExp(`- ${escape(command)} # from ${escape(from)}\\n`));

      // 2. run: a local task, the scripted model reads, edits, runs the check and finishes.
      r.write('.aidev/tasks/T-1.md', taskFile('T-1'));
      const script = writeScript(r.dir, fixScript(eco), 'fix.jsonl');
      const started = Date.now();
      const ran = await aidev(['run', 'T-1', '--yes', '--json', '--fake-responses', script], r.root, runEnv);
      const run = JSON.parse(ran.stdout) as RunSummary;
      expect(run.status, `${JSON.stringify(run.error)}\n${ran.stderr}`).toBe('succeeded');
      expect(ran.code).toBe(0);
      console.info(`ecosystems e2e: ${eco.name} run took ${((Date.now() - started) / 1000).toFixed(1)} s`);

      const check = eco.checks[0]![0];
      // The baseline ran the check on the untouched base in the worktree, and it failed on the seeded bug alone.
      const failing = eco.failingOnBase ? `: ${eco.failingOnBase.join(', ')}` : '';
      expect(run.baseline).toMatch(
        new RegExp(
          `^${escape(check)}: FAILS ON THE BASE already \\(exit \\d+${escape(failing)}\\), pre-existing$`,
          'm',
        ),
      );
      expect(run.checks).toMatch(
        new RegExp(
          `^${escape(check)}: passed \\([\\d.]+ s\\); it failed on the base, so this change fixed it$`,
          'm',
        ),
      );

      const ledger = openLedger({ home: r.home });
      try {
        const audit = ledger.listAudit(run.runId);
        const setup = audit.filter((a) => a.action === 'workspace.setup');
        if (eco.setup.length) {
          // Really run in the worktree, not reused from the main checkout (which has nothing installed).
          expect(run.setup).toMatchObject({ reused: null });
          expect(setup.map((a) => a.decision)).toEqual(['ran']);
          expect(JSON.stringify(setup[0]!.detail)).toContain(JSON.stringify(eco.setup[0]![0]));
        } else expect(setup).toEqual([]);
        expect(audit.filter((a) => a.action === 'verify.baseline').map((a) => a.decision)).toEqual(['ran']);
        // The model's own run of the check passed, in the sandbox the run chose (bwrap when it works here).
        const sandbox = audit.find((a) => a.action === 'agent.sandbox')!.decision;
        const tool = audit.filter((a) => a.action === 'tool.run_command').map((a) => a.detail);
        expect(tool).toEqual([expect.objectContaining({ command: check, exitCode: 0, sandbox })]);
        console.info(`ecosystems e2e: ${eco.name} checks ran in sandbox: ${sandbox}`);
      } finally {
        ledger.close();
      }

      // 3. One commit on the pushed branch, with the trailer and the fix; the seeded bug is gone there.
      const remote = r.remote!;
      expect(sh(remote, ['rev-list', '--count', 'main..feature/T-1']).trim()).toBe('1');
      expect(sh(remote, ['log', '-1', '--format=%B', 'feature/T-1'])).toContain(`Aidev-Run: ${run.runId}`);
      const changed = sh(remote, ['diff', '--name-only', 'main', 'feature/T-1']).trim().split('\n');
      expect(changed).toContain(eco.fix.path);
      // Nothing setup or the checks produced (node_modules, target/, caches) is in the commit.
      expect(changed.filter((f) => f !== eco.fix.path && !f.startsWith('docs/'))).toEqual([]);
      expect(sh(remote, ['show', `feature/T-1:${eco.fix.path}`])).toContain(eco.fix.fixed);

      // 4. The pull request body lists the check, failing before and passing after.
      const body = readFileSync(run.prUrl!, 'utf8');
      expect(body).toContain('### Checks (aidev)');
      expect(body).toMatch(
        new RegExp(
          `\\| \`${escape(check)}\` \\| failed \\(exit \\d+\\) \\| passed \\([\\d.]+ s\\); it failed on the base`,
        ),
      );
      if (eco.setup.length) expect(body).toMatch(/Worktree setup took [\d.]+ s\./);
    }, 120_000);
  });
}
