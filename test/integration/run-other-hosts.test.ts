// `aidev run` on the real standard_dev workflow with other providers chosen in config, against the contract fakes:
// Linear + GitLab and Asana + Bitbucket work as Jira/GitHub and the local providers do. The branch reaches the local
// bare remote, the MR/PR is opened once (also when the run is interrupted right after the host created it and then
// resumed), and the task ends in review with a comment holding the link.
import { afterEach, describe, expect, it } from 'vitest';
import { runResume } from '../../src/commands/resume.js';
import { runRun, type RunSummary } from '../../src/commands/run.js';
import { autoApprover } from '../../src/core/approvals.js';
import { startAsanaFake, PROJECT } from '../helpers/contract/asana-fake.js';
import { startBitbucketFake } from '../helpers/contract/bitbucket-fake.js';
import { startGitlabFake } from '../helpers/contract/gitlab-fake.js';
import { startLinearFake } from '../helpers/contract/linear-fake.js';
import {
  gitEnvForTests,
  makeRepo,
  sh,
  SLUG_PROJECT,
  SLUG_SCRIPT,
  writeScript,
  type TempRepo,
} from './run-fixtures.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** standard_dev asks the model for: the plan, the agent's turns, the PR description, the docs page. */
const SCRIPT: unknown[] = [
  { text: '1. Trim the input in src/slugify.js.\n2. Run node --test.' },
  ...SLUG_SCRIPT,
  { text: 'Trims input in slugify so surrounding spaces no longer become dashes.' },
  { text: '# slugify\n\n`slugify` now ignores surrounding spaces.' },
];

interface Hosts {
  name: string;
  config: string;
  env: Record<string, string>;
  taskId: string;
  /** Arms the code-host fake to have the run interrupted right after it created the MR/PR. */
  interruptAfterOpen(abort: () => void): void;
  pullRequests(): { source: string; title: string; description: string; notes: string[] }[];
  /** Requests that tried to open an MR/PR. */
  openCalls(): number;
  taskState(): { status: string; comments: string[] };
}

async function linearGitlab(): Promise<Hosts> {
  const linear = await startLinearFake({ apiKey: 'lin_api_test' });
  const gitlab = await startGitlabFake({ token: 'glpat-test' });
  const issue = linear.addIssue({
    title: 'slugify ignores surrounding spaces',
    description: 'slugify("  a b ") should give "a-b".',
  });
  return {
    name: 'tasks: linear + vcs: gitlab',
    config: [
      'tasks:',
      '  provider: linear',
      `  linear: {base_url: '${linear.url}', team: ENG}`,
      'vcs:',
      '  provider: gitlab',
      `  gitlab: {base_url: '${gitlab.baseUrl}', project: acme/platform/api, labels: [aidev]}`,
    ].join('\n'),
    env: { LINEAR_API_KEY: 'lin_api_test', GITLAB_TOKEN: 'glpat-test' },
    taskId: issue.identifier,
    interruptAfterOpen: (abort) => gitlab.after('MergeRequests.create', abort),
    openCalls: () => gitlab.api.calls('MergeRequests.create').length,
    pullRequests: () =>
      gitlab.mergeRequests.map((m) => ({
        source: m.source,
        title: m.title,
        description: m.description,
        notes: m.notes,
      })),
    taskState: () => {
      const now = linear.issues.find((i) => i.id === issue.id)!;
      return {
        status: linear.teams[0]!.states.find((s) => s.id === now.stateId)!.name,
        comments: linear.comments.filter((c) => c.issueId === issue.id).map((c) => c.body),
      };
    },
  };
}

async function asanaBitbucket(): Promise<Hosts> {
  const asana = await startAsanaFake({ token: 'asana-test' });
  const bitbucket = await startBitbucketFake({ token: 'bb-test' });
  const task = asana.addTask({
    name: 'slugify ignores surrounding spaces',
    notes: 'slugify("  a b ") should give "a-b".',
  });
  return {
    name: 'tasks: asana + vcs: bitbucket',
    config: [
      'tasks:',
      '  provider: asana',
      '  asana:',
      `    base_url: '${asana.baseUrl}'`,
      `    project: '${PROJECT}'`,
      '    sections: {todo: To do, in_progress: Doing, in_review: Review, done: Done}',
      'vcs:',
      '  provider: bitbucket',
      `  bitbucket: {base_url: '${bitbucket.baseUrl}', workspace: acme, repo: api}`,
    ].join('\n'),
    env: { ASANA_TOKEN: 'asana-test', BITBUCKET_TOKEN: 'bb-test' },
    taskId: `asana:${task.gid}`,
    interruptAfterOpen: (abort) => bitbucket.after('pullrequests.create', abort),
    openCalls: () => bitbucket.api.calls('pullrequests.create').length,
    pullRequests: () =>
      bitbucket.pullRequests.map((p) => ({
        source: p.source,
        title: p.title,
        description: p.description,
        notes: p.comments,
      })),
    taskState: () => {
      const now = asana.tasks.get(task.gid)!;
      return { status: asana.sections.find((s) => s.gid === now.section)!.name, comments: now.stories };
    },
  };
}

function setup(hosts: Hosts) {
  const config = `${hosts.config}\nverify:\n  checks: ["node --test"]\nsecurity:\n  sandbox: none\n`;
  const r = makeRepo({ ...SLUG_PROJECT, '.aidevrc.yaml': config });
  repos.push(r);
  const env = { ...gitEnvForTests, AIDEV_HOME: r.home, ...hosts.env };
  return { r, env, script: writeScript(r.dir, SCRIPT) };
}

function only(result: Awaited<ReturnType<typeof runRun>>): RunSummary {
  if (result.kind !== 'runs') throw new Error('expected runs, got a plan');
  return result.runs[0]!;
}

const REVIEW_STATE: Record<string, string> = {
  'tasks: linear + vcs: gitlab': 'In Review',
  'tasks: asana + vcs: bitbucket': 'Review',
};

describe.each([
  ['tasks: linear + vcs: gitlab', linearGitlab],
  ['tasks: asana + vcs: bitbucket', asanaBitbucket],
])('aidev run with %s', (name, start) => {
  it('pushes the branch, opens one MR/PR with the template merged, and moves the task to review with the link', async () => {
    const hosts = await start();
    const { r, env, script } = setup(hosts);
    r.write('PULL_REQUEST_TEMPLATE.md', '## Checklist\n- [ ] reviewed\n');
    r.git('add', 'PULL_REQUEST_TEMPLATE.md');
    r.git('commit', '-q', '-m', 'template');
    r.git('push', '-q', 'origin', 'main');
    const run = only(
      await runRun(
        { cwd: r.root, env, ids: [hosts.taskId], fakeResponses: script },
        { approver: autoApprover },
      ),
    );
    expect(run, JSON.stringify(run.error)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(sh(r.remote!, ['rev-parse', run.branch!]).trim()).toBe(run.commit);
    expect(sh(r.remote!, ['show', `${run.branch!}:src/slugify.js`])).toContain('text.trim().toLowerCase()');
    const prs = hosts.pullRequests();
    expect(prs).toHaveLength(1);
    expect(prs[0]).toMatchObject({
      source: run.branch,
      title: expect.stringContaining('slugify ignores surrounding spaces'),
    });
    expect(prs[0]!.description).toContain('Trims input in slugify');
    expect(prs[0]!.description).toContain('## Checklist');
    const task = hosts.taskState();
    expect(task.status).toBe(REVIEW_STATE[name]);
    expect(task.comments).toHaveLength(1);
    expect(task.comments[0]!.startsWith(`Pull request: ${run.prUrl!}\nDocumentation: docs/aidev/task/`)).toBe(
      true,
    );
  });

  it('interrupted right after the host created the MR/PR, the resumed run finds it instead of opening a second', async () => {
    const hosts = await start();
    const { r, env, script } = setup(hosts);
    const controller = new AbortController();
    hosts.interruptAfterOpen(() => controller.abort());
    const first = only(
      await runRun(
        { cwd: r.root, env, ids: [hosts.taskId], fakeResponses: script },
        { approver: autoApprover, signal: controller.signal },
      ),
    );
    expect(first.status).toBe('interrupted');
    expect(hosts.pullRequests()).toHaveLength(1);
    const resumed = await runResume(
      // The scripted model for the steps left (runRun's --fake-responses does the same two things).
      {
        cwd: r.root,
        env: { ...env, AIDEV_FAKE_RESPONSES: script },
        overrides: { ai: { provider: 'fake' } },
        run: first.runId,
      },
      { approver: autoApprover, emit: () => {}, signal: new AbortController().signal },
    );
    expect(resumed, JSON.stringify(resumed)).toMatchObject({ status: 'succeeded' });
    const prs = hosts.pullRequests();
    expect(prs).toHaveLength(1);
    // Found through findPullRequest on resume, not re-sent (which the host would refuse or the provider would fold).
    expect(hosts.openCalls()).toBe(1);
    const task = hosts.taskState();
    expect(task.status).toBe(REVIEW_STATE[name]);
    expect(task.comments).toHaveLength(1);
    expect(task.comments[0]).toMatch(/^Pull request: /);
  });
});
