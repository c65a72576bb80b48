// The specification's workflow and prompt files through the built binary, unchanged: the workflow the issue quotes
// (examples/spec-style/workflows/my_custom.yaml) validates, runs with the local tracker, a Jinja-style .txt prompt and
// the scripted model, and its chat step shows the model's text. `show --native` gives a file that runs the same.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir, tempRepo, type CliResult } from '../helpers/temp.js';

/** The workflow exactly as issue 11 quotes it. */
const ISSUE_WORKFLOW = `name: "My Custom Workflow"
steps:
  - name: "fetch_task"
    plugin: "task_management"
    action: "get_task"
    inputs:
      task_id: "\${task_id}"
    outputs:
      task: "task_data"
  - name: "custom_processing"
    type: "ai_action"
    prompt_template: "./prompts/my_prompt.txt"
    inputs:
      task: "\${task_data}"
    outputs:
      result: "processed_data"
  - name: "notify"
    plugin: "communication"
    action: "send_message"
    inputs:
      channel: "my-channel"
      message: "Processing complete: \${processed_data}"
    on_error: "continue"
`;

const EXAMPLE = join(repoRoot, 'examples/spec-style/workflows/my_custom.yaml');

/** A prompt in the specification's style: Jinja placeholders and comments. */
const PROMPT = `{# Written for the specification's server; aidev reads it as it is. #}
Task type: {{ task.type }}
Title: {{ task.title }}
{# the body follows #}
{{ task.description }}
`;

const ANSWER = 'Rename the redirect parameter and add a test for it.';

interface Project {
  dir: string;
  run(args: string[]): Promise<CliResult>;
  /** What the scripted model was asked, one request per call. */
  requests(): { system: string; messages: { role: string; content: unknown }[] }[];
}

async function project(answers: string[] = [ANSWER]): Promise<Project> {
  const { dir } = tempRepo({
    files: {
      'README.md': '# app\n',
      '.aidevrc.yaml': 'ai:\n  provider: fake\n',
      '.aidev/workflows/my_custom.yaml': readFileSync(EXAMPLE, 'utf8'),
      'prompts/my_prompt.txt': PROMPT,
    },
  });
  const side = tempDir('aidev-spec-');
  writeFileSync(join(side, 'script.jsonl'), answers.map((text) => JSON.stringify({ text })).join('\n'));
  const env = {
    AIDEV_HOME: join(side, 'home'),
    AIDEV_FAKE_RESPONSES: join(side, 'script.jsonl'),
    AIDEV_FAKE_RECORD: join(side, 'requests.jsonl'),
  };
  const run = (args: string[]) => runCli(args, { cwd: dir, env });
  const created = await run([
    'tasks',
    'create',
    'Fix the login redirect',
    '--type',
    'bug',
    '--description',
    'After login the user lands on /404 instead of the page they asked for.',
  ]);
  expect(created.code, created.stderr).toBe(0);
  expect(created.stdout).toContain('TASK-1');
  const requests = () => {
    let text = '';
    try {
      text = readFileSync(env.AIDEV_FAKE_RECORD, 'utf8');
    } catch {
      return [];
    }
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ReturnType<Project['requests']>[number]);
  };
  return { dir, run, requests };
}

describe("the specification's workflow and prompt files (binary)", () => {
  it('examples/spec-style/workflows/my_custom.yaml is the issue’s workflow verbatim, and it validates', async () => {
    expect(readFileSync(EXAMPLE, 'utf8')).toBe(ISSUE_WORKFLOW);
    const r = await runCli(['workflow', 'validate', EXAMPLE], { cwd: repoRoot });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${EXAMPLE}: valid (3 steps)`);
    expect(r.stdout).toContain(
      'step fetch_task: read as plugin: task_management, action: get_task → uses: tasks.get',
    );
    expect(r.stdout).toContain(
      'step custom_processing: read as type: ai_action, prompt_template: ./prompts/my_prompt.txt → ai: {prompt: ./prompts/my_prompt.txt}',
    );
    expect(r.stdout).toContain(
      'step notify: read as plugin: communication, action: send_message → uses: chat.notify',
    );
  });

  it('runs with the local tracker, a .txt prompt at the project root and the fake model; chat shows the text', async () => {
    const p = await project();
    // Called by its file name: its `name:` is prose.
    const r = await p.run(['workflow', 'run', 'my_custom', '--input', 'task_id=TASK-1', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/succeeded · my_custom · TASK-1/);
    const [request, ...more] = p.requests();
    expect(more).toEqual([]);
    expect(request!.messages).toEqual([
      {
        role: 'user',
        content:
          'Task type: bug\nTitle: Fix the login redirect\n\nAfter login the user lands on /404 instead of the page they asked for.',
      },
    ]);
    expect(r.stderr).toContain(`Processing complete: ${ANSWER}`);
  });

  it('runs the example file by path from another repository, with the prompt kept beside its workflows/', async () => {
    const p = await project();
    const r = await p.run(['workflow', 'run', EXAMPLE, '--input', 'task_id=TASK-1', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(p.requests()[0]!.messages[0]!.content).toBe(
      'You are reviewing a bug titled "Fix the login redirect".\n\n' +
        'After login the user lands on /404 instead of the page they asked for.\n\n' +
        'Summarise in two sentences what a developer must change.',
    );
    expect(r.stderr).toContain(`Processing complete: ${ANSWER}`);
  });

  it('a variable the prompt file uses but the step does not give fails the run, naming the file and the variable', async () => {
    const p = await project();
    writeFileSync(join(p.dir, 'prompts/my_prompt.txt'), '{# new field #}\nPriority: {{ task.priority }}\n');
    const r = await p.run(['workflow', 'run', 'my_custom', '--input', 'task_id=TASK-1', '--yes']);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain(
      'prompt file ./prompts/my_prompt.txt uses the variable "task.priority" (line 2), but it was not given',
    );
    expect(out).not.toMatch(/\n\s+at /);
    expect(p.requests()).toEqual([]);
  });

  it('show --native prints a native file that validates without compatibility readings and runs the same', async () => {
    const p = await project();
    const shown = await p.run(['workflow', 'show', 'my_custom', '--native']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('uses: tasks.get');
    expect(shown.stdout).toContain('prompt: ./prompts/my_prompt.txt');
    expect(shown.stdout).not.toContain('plugin:');
    expect(shown.stderr).toContain('step notify: read as plugin: communication');
    mkdirSync(join(p.dir, 'flows/workflows'), { recursive: true });
    writeFileSync(join(p.dir, 'flows/workflows/native.yaml'), shown.stdout);
    const valid = await p.run(['workflow', 'validate', 'flows/workflows/native.yaml']);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).not.toContain('read as');
    const r = await p.run([
      'workflow',
      'run',
      'flows/workflows/native.yaml',
      '--input',
      'task_id=TASK-1',
      '--yes',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(p.requests()[0]!.messages[0]!.content).toContain('Title: Fix the login redirect');
    expect(r.stderr).toContain(`Processing complete: ${ANSWER}`);
  });

  it('bad specification-style steps: file:line:col, a hint, exit 2, no stack trace', async () => {
    const dir = join(repoRoot, 'test/fixtures/workflows/broken');
    const cases = readdirSync(dir).filter((f) => f.startsWith('spec-'));
    expect(cases.length).toBeGreaterThanOrEqual(6);
    const { dir: cwd } = tempRepo();
    for (const name of cases) {
      copyFileSync(join(dir, name), join(cwd, name));
      const r = await runCli(['workflow', 'validate', name], { cwd });
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(new RegExp(`^${join(cwd, name)}:\\d+:\\d+: \\S`));
      expect(r.stderr, name).toContain('\n    hint: ');
      expect(r.stderr, name).not.toMatch(/\n\s+at /);
    }
  });
});
