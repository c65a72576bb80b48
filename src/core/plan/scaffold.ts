// `--scaffold <dir>`: renders templates/scaffold/** (Handlebars) into a new git repository (README, .gitignore, a CI
// workflow, a PR template, a docs index with the plan), makes the first commit, and gives it a remote: one the vcs
// provider creates when it can, for the local vcs a bare repository beside it (`<dir>.git`).
import { canCreateRepository } from '../../../providers/capabilities.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import Handlebars from 'handlebars';
import type { VcsProvider } from '../../../providers/types.js';
import { AidevError } from '../errors.js';
import { gitRun, gitTry, type Env } from '../git/client.js';
import { planMarkdown } from './markdown.js';
import { countsOf, type Plan } from './schema.js';
import type { PublishedItem } from './store.js';

export interface ScaffoldInput {
  dir: string;
  plan: Plan;
  planId: string;
  stack: readonly string[];
  items: readonly PublishedItem[];
  templatesDir: string;
  vcs: VcsProvider | null;
  remoteName: string;
  env: Env;
  signal?: AbortSignal | undefined;
  progress?: ((message: string) => void) | undefined;
}

export interface ScaffoldResult {
  dir: string;
  files: string[];
  commit: string;
  branch: string;
  remote: string | null;
  webUrl: string | null;
  note?: string | undefined;
}

/** Template file names: `.hbs` is dropped, and a `dot-` prefix becomes `.` (npm drops real dotfiles from packages). */
export function outputPath(templatePath: string): string {
  return templatePath
    .split('/')
    .map((part) => (part.startsWith('dot-') ? `.${part.slice(4)}` : part))
    .join('/')
    .replace(/\.hbs$/, '');
}

export function stackFlags(stack: readonly string[]): Record<string, boolean> {
  const text = ` ${stack.join(' ').toLowerCase()} `;
  const node =
    /\b(node(\.?js)?|typescript|javascript|react|next(\.js)?|vue|svelte|express|nest(js)?|deno|bun)\b/.test(
      text,
    );
  const python = /\b(python|django|flask|fastapi)\b/.test(text);
  const go = /\b(go|golang)\b/.test(text);
  const rust = /\b(rust|cargo)\b/.test(text);
  return { node, python, go, rust, other: !node && !python && !go && !rust };
}

export function renderScaffold(
  input: Pick<ScaffoldInput, 'plan' | 'planId' | 'stack' | 'items' | 'templatesDir'> & { repo: string },
): Map<string, string> {
  const hb = Handlebars.create();
  hb.registerHelper('join', (items: unknown, sep: unknown) =>
    Array.isArray(items) ? items.map(String).join(typeof sep === 'string' ? sep : ', ') : '',
  );
  const vars = {
    project: { ...input.plan.project, repo: input.repo },
    plan: input.plan,
    plan_id: input.planId,
    counts: countsOf(input.plan),
    stack: input.stack,
    ci: stackFlags(input.stack),
    // Tracker paths of a local tracker point into the planning checkout, not the new repository: only URLs stay links.
    plan_markdown: planMarkdown(input.plan, {
      planId: input.planId,
      items: input.items.map((i) => ({
        ...i,
        url: i.url && /^[a-z][a-z0-9+.-]*:/i.test(i.url) ? i.url : null,
      })),
      title: false,
    }),
  };
  const out = new Map<string, string>();
  for (const file of walk(input.templatesDir)) {
    const rel = relative(input.templatesDir, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    try {
      out.set(outputPath(rel), hb.compile(text, { strict: true, noEscape: true })(vars));
    } catch (error) {
      throw new AidevError(
        'TEMPLATE_ERROR',
        `scaffold template ${file} cannot be rendered: ${(error as Error).message.split('\n')[0]}`,
        {
          hint: 'fix the template (its variables: project, plan, plan_id, counts, stack, ci, plan_markdown)',
          cause: error,
        },
      );
    }
  }
  return out;
}

export async function scaffoldProject(input: ScaffoldInput): Promise<ScaffoldResult> {
  const dir = resolve(input.dir);
  const git = { env: input.env, signal: input.signal };
  if (existsSync(dir) && readdirSync(dir).length) {
    const done = await previousScaffold(dir, input.planId, input.remoteName, git);
    if (done) return done;
    throw new AidevError('USAGE', `${dir} is not empty; the scaffold goes into a new folder`, {
      hint: 'pass --scaffold with a folder that does not exist yet',
    });
  }
  const repo = input.plan.project.repo ?? slug(basename(dir));
  const files = renderScaffold({ ...input, repo });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  input.progress?.(`scaffold: wrote ${files.size} files into ${dir}`);
  await gitRun(dir, ['init', '-q', '-b', 'main'], git);
  await gitRun(dir, ['add', '-A'], git);
  const identity = await authorFallback(dir, input.env);
  await gitRun(
    dir,
    ['commit', '-q', '-m', `Scaffold ${input.plan.project.name}\n\nFrom aidev plan ${input.planId}.`],
    { ...git, extraEnv: identity },
  );
  const commit = (await gitRun(dir, ['rev-parse', 'HEAD'], git)).trim();
  const base = { dir, files: [...files.keys()].sort(), commit, branch: 'main' };
  const remote = await attachRemote(dir, repo, input);
  return { ...base, ...remote };
}

async function attachRemote(
  dir: string,
  repo: string,
  input: ScaffoldInput,
): Promise<{ remote: string | null; webUrl: string | null; note?: string | undefined }> {
  const git = { env: input.env, signal: input.signal };
  const vcs = input.vcs;
  let url: string;
  let webUrl: string | null = null;
  if (vcs && canCreateRepository(vcs)) {
    const created = await vcs.createRepository(
      { name: repo, description: input.plan.project.summary.slice(0, 300), private: true },
      input.signal ? { signal: input.signal } : {},
    );
    url = created.cloneUrl;
    webUrl = created.webUrl;
  } else if (!vcs || vcs.id === 'local') {
    url = `${dir}.git`;
    if (!existsSync(url)) await gitRun(dirname(url), ['init', '-q', '--bare', '-b', 'main', url], git);
  } else {
    return {
      remote: null,
      webUrl: null,
      note: `the ${vcs.id} provider cannot create repositories in this version; create one, then: git -C ${dir} remote add ${input.remoteName} <url> && git -C ${dir} push -u ${input.remoteName} main`,
    };
  }
  await gitRun(dir, ['remote', 'add', input.remoteName, url], git);
  if (vcs && vcs.id !== 'local')
    await vcs.pushBranch({ cwd: dir, branch: 'main' }, input.signal ? { signal: input.signal } : {});
  else await gitRun(dir, ['push', '-q', '-u', input.remoteName, 'main'], git);
  input.progress?.(`scaffold: pushed main to ${url}`);
  return { remote: url, webUrl };
}

/** A folder this plan scaffolded before (a resumed run): its first commit names the plan. */
async function previousScaffold(
  dir: string,
  planId: string,
  remoteName: string,
  git: { env: Env; signal?: AbortSignal | undefined },
): Promise<ScaffoldResult | null> {
  if (!existsSync(join(dir, '.git'))) return null;
  const root = (await gitTry(dir, ['rev-list', '--max-parents=0', 'HEAD'], git))?.trim().split('\n')[0];
  if (!root) return null;
  const body = await gitTry(dir, ['log', '-1', '--format=%B', root], git);
  if (!body?.includes(`aidev plan ${planId}.`)) return null;
  const remote = (await gitTry(dir, ['remote', 'get-url', remoteName], git))?.trim() || null;
  return {
    dir,
    files: [],
    commit: root,
    branch: 'main',
    remote,
    webUrl: null,
    note: 'already scaffolded by this plan',
  };
}

/** git refuses to commit without an identity; a fresh machine may have none. */
async function authorFallback(dir: string, env: Env): Promise<Record<string, string>> {
  if (env.GIT_AUTHOR_EMAIL) return {};
  const email = await gitTry(dir, ['config', 'user.email'], { env });
  if (email?.trim()) return {};
  return {
    GIT_AUTHOR_NAME: 'aidev',
    GIT_AUTHOR_EMAIL: 'aidev@localhost',
    GIT_COMMITTER_NAME: 'aidev',
    GIT_COMMITTER_EMAIL: 'aidev@localhost',
  };
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'project'
  );
}

function walk(dir: string): string[] {
  if (!existsSync(dir))
    throw new AidevError('INTERNAL', `the scaffold templates are missing (${dir})`, {
      hint: 'reinstall aidev',
    });
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}
