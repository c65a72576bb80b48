// The doctor checks for workspace.setup and verify.checks: each command's program is installed (on PATH, or a
// wrapper like ./gradlew in the repo), and what `aidev init` would detect is configured. doctor.ts calls
// workspaceDoctorChecks once; it runs no command, it only looks.
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { LoadedConfig } from '../core/config/load.js';
import { detectProject } from '../core/detect.js';

export interface WorkspaceDoctorCheck {
  name: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  hint?: string | undefined;
}

const BUILTINS = new Set(['cd', 'echo', 'true', 'false', 'test', 'exit', 'export', 'set', '[', ':']);

/** The program a shell command starts with (after VAR=value assignments), or null for a builtin. */
export function programOf(command: string): string | null {
  for (const word of command.trim().split(/\s+/)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    return BUILTINS.has(word) ? null : word;
  }
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findProgram(program: string, root: string, pathEnv: string | undefined): boolean {
  if (program.includes('/')) return executable(isAbsolute(program) ? program : join(root, program));
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd', '.bat'] : [''];
  return (pathEnv ?? '')
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => exts.some((ext) => executable(join(dir, program + ext))));
}

export function workspaceDoctorChecks(
  loaded: LoadedConfig,
  env: Readonly<Record<string, string | undefined>>,
): WorkspaceDoctorCheck[] {
  const { setup } = loaded.config.workspace;
  const { checks } = loaded.config.verify;
  const out: WorkspaceDoctorCheck[] = [];
  const missing = new Map<string, string[]>();
  // A monorepo package's own checks (its defaults are the repo-wide checks run in its folder, looked at above).
  const packageChecks = loaded.config.verify.packages
    .filter((p) => p.checks?.length)
    .map((p) => [`verify.packages[${p.name ?? p.path}]`, p.checks ?? []] as const);
  for (const [key, list] of [
    ['workspace.setup', setup],
    ['verify.checks', checks],
    ...packageChecks,
  ] as const) {
    for (const command of list) {
      const program = programOf(command);
      if (program && !findProgram(program, loaded.repoRoot, env.PATH))
        missing.set(program, [...(missing.get(program) ?? []), `${key}: ${command}`]);
    }
  }
  if (missing.size) {
    out.push({
      name: 'check tools',
      state: 'warn',
      detail: [...missing].map(([p, uses]) => `${p} is not installed (${uses.join('; ')})`).join('; '),
      hint: 'install it, or have workspace.setup provide it (e.g. npm ci puts node_modules/.bin tools in place); a check that cannot start fails the run before any model call',
    });
  } else if (setup.length || checks.length || packageChecks.length) {
    out.push({ name: 'check tools', state: 'ok', detail: 'every setup and check program is installed' });
  }
  const detected = detectProject(loaded.repoRoot);
  const notConfigured = detected.checks.filter((c) => !checks.includes(c));
  if (notConfigured.length && checks.length) {
    out.push({
      name: 'detected checks',
      state: 'warn',
      detail: `the repository suggests checks that verify.checks does not run: ${notConfigured
        .map((c) => `${c} (from ${detected.from[c]})`)
        .join(', ')}`,
      hint: 'add them to verify.checks in .aidevrc.yaml if they should hold for every change',
    });
  }
  return out;
}
