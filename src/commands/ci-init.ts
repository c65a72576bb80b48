// `aidev ci init github|gitlab`: writes the CI template that runs aidev on the team's own runners, one task per job
// (.github/workflows/aidev.yml, or .gitlab-ci.yml). Plan first: --dry-run prints the file and writes nothing; an existing
// file is kept unless --force.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { findRepoRoot } from '../core/config/load.js';
import { AidevError } from '../core/errors.js';
import { aidevVersion, shippedDir } from '../core/paths.js';
import type { GlobalOptions } from '../core/session.js';

export const CI_TARGETS = {
  github: { template: 'github.yml', file: '.github/workflows/aidev.yml' },
  gitlab: { template: 'gitlab.yml', file: '.gitlab-ci.yml' },
} as const;
export type CiTarget = keyof typeof CI_TARGETS;

export interface CiInitOptions extends GlobalOptions {
  target: string;
  force?: boolean | undefined;
  dryRun?: boolean | undefined;
}

export interface CiInitResult {
  target: CiTarget;
  file: string;
  written: boolean;
  content: string;
  /** What the team still has to set up: secrets and settings. */
  next: string[];
}

const NEXT: Record<CiTarget, string[]> = {
  github: [
    'add the repository secret ANTHROPIC_API_KEY (Settings → Secrets and variables → Actions)',
    'for one budget across runners: add AIDEV_LEDGER_URL (postgres://user@host:5432/aidev) and AIDEV_LEDGER_PASSWORD',
    'label an issue `aidev`, or run the workflow by hand with a task id (Actions → aidev → Run workflow)',
  ],
  gitlab: [
    'add masked CI/CD variables ANTHROPIC_API_KEY and GITLAB_TOKEN (a project access token: api, write_repository)',
    'for one budget across runners: add AIDEV_LEDGER_URL (postgres://user@host:5432/aidev) and PGPASSWORD',
    'run a pipeline with AIDEV_TASK set (Build → Pipelines → Run pipeline), or trigger one through the API',
  ],
};

/** The template with this aidev's version pinned, so every runner runs the version that wrote it. */
export function renderCiTemplate(target: CiTarget, version = aidevVersion()): string {
  const text = readFileSync(join(shippedDir('templates'), 'ci', CI_TARGETS[target].template), 'utf8');
  return text.replaceAll('{{AIDEV_VERSION}}', version);
}

export async function runCiInit(options: CiInitOptions): Promise<CiInitResult> {
  if (!(options.target in CI_TARGETS)) {
    throw new AidevError('USAGE', `aidev ci init takes github or gitlab, not "${options.target}"`, {
      hint: 'aidev ci init github   (or: aidev ci init gitlab)',
    });
  }
  const target = options.target as CiTarget;
  const root = findRepoRoot(options.cwd) ?? options.cwd;
  const path = join(root, CI_TARGETS[target].file);
  const file = relative(options.cwd, path) || path;
  const content = renderCiTemplate(target);
  if (existsSync(path) && !options.force && !options.dryRun) {
    throw new AidevError('USAGE', `${file} already exists`, {
      hint: `compare it with \`aidev ci init ${target} --dry-run\`, or overwrite it with --force`,
    });
  }
  if (!options.dryRun) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return { target, file, written: !options.dryRun, content, next: NEXT[target] };
}
