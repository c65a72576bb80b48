// `aidev demo`: a throwaway project (templates/demo) with a bare "remote", a local task and a scripted model, solved
// by the real standard_dev workflow end to end. No key and no network; everything lives in one folder, including its
// own AIDEV_HOME, so the demo never touches the user's ledger, budget or worktrees.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AidevError } from '../core/errors.js';
import { gitRun, type GitOptions } from '../core/git/client.js';
import { shippedDir } from '../core/paths.js';
import { openSession, type GlobalOptions } from '../core/session.js';
import { runRun, type RunHooks, type RunSummary } from './run.js';

export interface DemoOptions extends GlobalOptions {
  /** Where to create the demo (default: a new folder in the system temp dir). */
  dir?: string | undefined;
}

export interface DemoResult {
  dir: string;
  repo: string;
  remote: string;
  home: string;
  taskId: string;
  taskFile: string;
  run: RunSummary;
  /** Where to look, as `what → path or command`. */
  look: { what: string; where: string }[];
  exitCode: number;
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'aidev demo',
  GIT_AUTHOR_EMAIL: 'demo@aidev.invalid',
  GIT_COMMITTER_NAME: 'aidev demo',
  GIT_COMMITTER_EMAIL: 'demo@aidev.invalid',
};

const CONFIG = `# aidev demo: a scripted model (no key, no network), the local tracker, a local code host (push to ../remote.git,
# pull requests as files), docs in the repository and notifications on the console.
ai:
  provider: fake
  fake:
    responses: ../conversation.jsonl
workspace:
  setup: []
verify:
  checks:
    - node --test
`;

function emptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

async function initProject(
  dir: string,
  env: GlobalOptions['env'],
): Promise<{ repo: string; remote: string }> {
  const template = join(shippedDir('templates'), 'demo');
  const repo = join(dir, 'textkit');
  const remote = join(dir, 'remote.git');
  cpSync(join(template, 'project'), repo, { recursive: true });
  // npm drops files named .gitignore from packages, so the template ships it without the dot.
  renameSync(join(repo, 'gitignore'), join(repo, '.gitignore'));
  writeFileSync(join(repo, '.aidevrc.yaml'), CONFIG);
  cpSync(join(template, 'conversation.jsonl'), join(dir, 'conversation.jsonl'));
  const git: GitOptions = { env, extraEnv: IDENTITY };
  await gitRun(repo, ['init', '--quiet', '--initial-branch=main'], git);
  await gitRun(repo, ['add', '--all'], git);
  await gitRun(repo, ['commit', '--quiet', '-m', 'textkit: slugify and truncate'], git);
  await gitRun(dir, ['init', '--quiet', '--bare', '--initial-branch=main', remote], git);
  await gitRun(repo, ['remote', 'add', 'origin', remote], git);
  await gitRun(repo, ['push', '--quiet', 'origin', 'main'], git);
  await gitRun(repo, ['remote', 'set-head', 'origin', 'main'], git);
  return { repo, remote };
}

export async function runDemo(options: DemoOptions, hooks: RunHooks): Promise<DemoResult> {
  const dir = options.dir ? resolve(options.cwd, options.dir) : mkdtempSync(join(tmpdir(), 'aidev-demo-'));
  if (!emptyDir(dir)) {
    throw new AidevError('USAGE', `${dir} is not empty`, {
      hint: 'pass --dir with a new or empty folder, or leave it out for a temp folder',
    });
  }
  mkdirSync(dir, { recursive: true });
  const home = join(dir, 'aidev-home');
  const env = { ...options.env, AIDEV_HOME: home, AIDEV_FAKE_RESPONSES: undefined };
  const { repo, remote } = await initProject(dir, env);

  const session = await openSession({ ...options, cwd: repo, env, config: undefined });
  let taskId: string;
  try {
    const tasks = await session.providers.get('tasks');
    const [title, ...body] = readFileSync(join(shippedDir('templates'), 'demo', 'task.md'), 'utf8').split(
      '\n',
    );
    const task = await tasks.createTask({
      title: title!.trim(),
      description: body.join('\n').trim(),
      type: 'bug',
      labels: ['demo'],
    });
    taskId = task.id;
  } finally {
    session.close();
  }

  const result = await runRun(
    {
      ...options,
      cwd: repo,
      env,
      config: undefined,
      ids: [taskId],
    },
    hooks,
  );
  if (result.kind !== 'runs') throw new AidevError('INTERNAL', 'the demo run returned a plan');
  const run = result.runs[0]!;
  const taskFile = join(repo, '.aidev', 'tasks', `${taskId}.md`);
  const look = [
    { what: 'the project', where: repo },
    { what: 'the branch on the remote', where: `git -C ${remote} log --stat ${run.branch ?? 'main'}` },
    ...(run.prUrl ? [{ what: 'the pull request', where: run.prUrl }] : []),
    { what: 'the task (now in review, with the PR link)', where: taskFile },
    { what: 'the scripted model', where: join(dir, 'conversation.jsonl') },
    {
      what: 'the run: steps, tool calls, cost',
      where: `AIDEV_HOME=${home} aidev runs show ${run.runId} --audit`,
    },
  ];
  if (run.worktreeKept && run.worktree) look.push({ what: 'the kept worktree', where: run.worktree });
  return { dir, repo, remote, home, taskId, taskFile, run, look, exitCode: result.exitCode };
}
