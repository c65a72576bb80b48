// `aidev run TASK-1 --config config.yaml` with a config in the specification's form (plugins.*, ai_provider,
// workflows.default: standard_dev_workflow, limits) on local providers: the shipped standard_dev runs end to end with
// the scripted model of `aidev demo`, on a temp repo with a bare remote, through the built binary.
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, repoRoot, runCli, tempDir } from '../helpers/temp.js';

const CONFIG = `# The specification's config.yaml form; only local providers, so no key and no network.
system:
  name: "AI Development Orchestrator"
  max_concurrent_agents: 1
ai_provider:
  type: "fake"
plugins:
  task_management:
    provider: "local"
    enabled: true
  version_control:
    provider: "local"
    enabled: true
  documentation:
    provider: "confluence"
    enabled: false
  communication:
    provider: "console"
    enabled: true
workflows:
  default: "standard_dev_workflow"
security:
  require_approval_for_merge: true
  sandbox_agents: true
limits:
  max_cost_per_task: 5.00
  max_tokens_per_task: 500000
  monthly_budget: 500.00
# A native key beside them: the checks the run must pass.
verify:
  checks:
    - node --test
`;

describe('aidev run with a specification-style config (binary)', () => {
  it('completes standard_dev (as standard_dev_workflow) end to end with the fake model', async () => {
    const dir = tempDir('aidev-spec-run-');
    const template = join(repoRoot, 'templates/demo');
    const repo = join(dir, 'repo');
    const remote = join(dir, 'remote.git');
    cpSync(join(template, 'project'), repo, { recursive: true });
    renameSync(join(repo, 'gitignore'), join(repo, '.gitignore'));
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'textkit');
    git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
    git(repo, 'remote', 'add', 'origin', remote);
    git(repo, 'push', '-q', 'origin', 'main');
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    const conversation = join(template, 'conversation.jsonl');
    const env = {
      AIDEV_HOME: join(dir, 'home'),
      AIDEV_FAKE_RESPONSES: conversation,
      AIDEV_FAKE_RECORD: join(dir, 'requests.jsonl'),
    };
    const aidev = (args: string[]) => runCli(['--config', '../config.yaml', ...args], { cwd: repo, env });

    const [title, ...body] = readFileSync(join(template, 'task.md'), 'utf8').split('\n');
    const created = await aidev([
      'tasks',
      'create',
      title!,
      '--type',
      'bug',
      '--description',
      body.join('\n').trim(),
    ]);
    expect(created.code, created.stderr).toBe(0);

    const r = await aidev(['run', 'TASK-1', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/succeeded · standard_dev · TASK-1/);
    // Every scripted answer was asked for: plan, the agent's turns, the PR description, the docs page.
    const scripted = readFileSync(conversation, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(readFileSync(env.AIDEV_FAKE_RECORD, 'utf8').trim().split('\n')).toHaveLength(scripted.length);
    // The fix is on the remote branch; the PR is a file (vcs local); the task is in review with its link.
    expect(git(remote, 'show', 'feature/TASK-1:src/slugify.js')).toContain("normalize('NFKD')");
    const task = readFileSync(join(repo, '.aidev/tasks/TASK-1.md'), 'utf8');
    expect(task).toMatch(/status: in_review/);
    expect(task).toContain('.aidev/pull-requests/feature-TASK-1.md');
    // plugins.documentation is disabled, so docs fall back to the local provider: the page is part of the change.
    expect(git(remote, 'show', '--stat', '--format=', 'feature/TASK-1')).toContain('docs/');
    // plugins.communication: console writes the notification to stderr.
    expect(r.stderr).toContain('TASK-1 is ready for review');
  });
});
