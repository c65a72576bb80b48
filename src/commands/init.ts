// `aidev init`: builds a plan for .aidevrc.yaml from what the repo shows (remote, lockfile, test scripts), then writes it.
// Never overwrites without --force.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq } from 'yaml';
import { providerIds } from '../core/config/schema.js';
import { findRepoRoot } from '../core/config/load.js';
import { detectProject, type Detected } from '../core/detect.js';
import { MAX_PACKAGES } from '../core/detect-workspaces.js';
import { AidevError } from '../core/errors.js';
import { writeFileAtomic } from '../../providers/shared/atomic-file.js';
import { remoteUrl, repoNameFromUrl } from '../../providers/shared/git-cli.js';
import type { GlobalOptions } from '../core/session.js';

export interface InitChoices {
  tasks?: string | undefined;
  vcs?: string | undefined;
  ai?: string | undefined;
  model?: string | undefined;
  setup?: string[] | undefined;
  checks?: string[] | undefined;
}

export interface InitPlan {
  file: string;
  exists: boolean;
  remote: { url: string; host: string | null; repo: string } | null;
  detected: Detected;
  choices: Required<Pick<InitChoices, 'tasks' | 'vcs' | 'ai'>> & InitChoices;
  /** Hosting suggestions that this aidev cannot act on yet. */
  notes: string[];
  yaml: string;
}

export async function planInit(options: GlobalOptions & { choices?: InitChoices }): Promise<InitPlan> {
  const root = findRepoRoot(options.cwd);
  if (!root)
    throw new AidevError('NOT_A_GIT_REPO', `${options.cwd} is not inside a git repository`, {
      hint: 'run `git init` first, or pass --cwd <repo>',
    });
  const url = await remoteUrl(root, 'origin');
  const host = url ? hostOf(url) : null;
  const remote = url ? { url, host, repo: repoNameFromUrl(url) } : null;
  const detected = detectProject(root);
  const notes: string[] = [];
  const suggestedVcs = host?.includes('github')
    ? 'github'
    : host?.includes('gitlab')
      ? 'gitlab'
      : host?.includes('bitbucket')
        ? 'bitbucket'
        : 'local';
  let vcs = options.choices?.vcs ?? suggestedVcs;
  if (!providerIds('vcs').includes(vcs)) {
    if (options.choices?.vcs)
      throw new AidevError('UNKNOWN_PROVIDER', `unknown vcs provider "${vcs}"`, {
        hint: `use one of: ${providerIds('vcs').join(', ')}`,
      });
    notes.push(
      `the remote is on ${host}; the ${vcs} provider is not in this aidev yet, so pull requests are written as files (vcs: local)`,
    );
    vcs = 'local';
  }
  const tasks = options.choices?.tasks ?? 'local';
  const ai = options.choices?.ai ?? 'anthropic';
  for (const [category, id] of [
    ['tasks', tasks],
    ['ai', ai],
  ] as const) {
    if (!providerIds(category).includes(id))
      throw new AidevError('UNKNOWN_PROVIDER', `unknown ${category} provider "${id}"`, {
        hint: `use one of: ${providerIds(category).join(', ')}`,
      });
  }
  const choices = { ...options.choices, tasks, vcs, ai };
  const file = join(root, '.aidevrc.yaml');
  return {
    file,
    exists: existsSync(file),
    remote,
    detected,
    choices,
    notes,
    yaml: renderInit(choices, detected, remote),
  };
}

export async function runInit(
  options: GlobalOptions & { choices?: InitChoices; force?: boolean; dryRun?: boolean },
): Promise<InitPlan & { written: boolean }> {
  const plan = await planInit(options);
  if (options.dryRun) return { ...plan, written: false };
  if (plan.exists && !options.force) {
    throw new AidevError('USAGE', `${plan.file} already exists`, {
      hint: 'pass --force to overwrite it, or edit it by hand (aidev config validate checks it)',
    });
  }
  writeFileAtomic(plan.file, plan.yaml);
  return { ...plan, written: true };
}

function renderInit(choices: InitPlan['choices'], detected: Detected, remote: InitPlan['remote']): string {
  const setup = choices.setup ?? detected.setup;
  const checks = choices.checks ?? detected.checks;
  const config: Record<string, unknown> = {
    ai: { provider: choices.ai, ...(choices.model ? { model: choices.model } : {}) },
    tasks: { provider: choices.tasks },
    vcs: { provider: choices.vcs },
    git: { remote: 'origin', branch_template: 'feature/{{task.id}}' },
    workspace: { setup },
    verify: { checks, ...packagesConfig(detected) },
    cost: { max_cost_per_task: 5, max_tokens_per_task: 50000, monthly_budget: 500 },
  };
  if (choices.vcs === 'github' && remote)
    (config.vcs as Record<string, unknown>).github = { token: '${GITHUB_TOKEN}' };
  const doc = new Document(config);
  doc.commentBefore =
    ' aidev configuration — every key and its default: .aidevrc.example.yaml, docs/config.md\n Credentials are read from the environment only; reference them as ${NAME}.';
  const note = (key: string, comment: string) => {
    const node = doc.get(key, true);
    if (node && typeof node === 'object') (node as { commentBefore?: string }).commentBefore = ` ${comment}`;
  };
  note(
    'workspace',
    detected.setup.length
      ? `detected (${detected.ecosystem.join(', ')}): run once in each new worktree`
      : 'nothing detected: add your install command, e.g. npm ci',
  );
  note(
    'verify',
    checks.length
      ? 'detected: must pass before the review gate'
      : 'no checks detected: add your test command, e.g. npm test (doctor warns while this is empty)',
  );
  // Each detected command names the file it came from, so the user can tell a guess from a fact.
  for (const key of [
    ['workspace', 'setup'],
    ['verify', 'checks'],
  ]) {
    const seq = doc.getIn(key, true) as { items?: { value?: unknown; comment?: string }[] } | undefined;
    for (const item of seq?.items ?? []) {
      const from = typeof item.value === 'string' ? detected.from[item.value] : undefined;
      if (from) item.comment = ` from ${from}`;
    }
  }
  notePackages(doc, detected);
  return doc.toString({ lineWidth: 0 });
}

/** verify.packages and verify.scope from the detected workspace, when some package has tests of its own. */
function packagesConfig(detected: Detected): Record<string, unknown> {
  const packages = detected.workspaces?.packages ?? [];
  if (!packages.length) return {};
  return {
    packages: packages.map((p) => ({ path: p.path, ...(p.name ? { name: p.name } : {}), checks: p.checks })),
    scope: 'auto',
  };
}

function notePackages(doc: Document, detected: Detected): void {
  const ws = detected.workspaces;
  if (!ws) return;
  const verify = doc.get('verify', true);
  if (!isMap(verify)) return;
  const from = ws.from.join(', ');
  if (!ws.packages.length) {
    verify.commentBefore = `${verify.commentBefore ?? ''}\n monorepo (${from}), but no package has a test script of its own: the checks above run for every change`;
    return;
  }
  const more = ws.omitted
    ? `\n … and ${ws.omitted} more with tests, not listed (init lists ${MAX_PACKAGES}): add them by hand`
    : '';
  for (const pair of verify.items) {
    if (!isScalar(pair.key)) continue;
    if (pair.key.value === 'packages')
      pair.key.commentBefore = ` packages from ${from}: a run whose task names one (label, [name] title prefix, its path),\n or whose change stays inside one, runs only its checks (docs/run.md, Monorepos)${more}`;
  }
  ws.packages.forEach((p, i) => {
    const seq = doc.getIn(['verify', 'packages', i, 'checks'], true);
    if (isSeq(seq)) for (const item of seq.items) if (isScalar(item)) item.comment = ` from ${p.from}`;
  });
}

function hostOf(url: string): string | null {
  const scp = /^[^@/]+@([^:]+):/.exec(url);
  if (scp) return scp[1]!;
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}
