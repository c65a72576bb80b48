// Every command, listed in one place. Handlers load with await import(), so `aidev <cmd>` pays only for its command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { packageRoot } from '../core/paths.js';
import { ExitCode } from '../core/errors.js';
import { cliContext, type CliContext, type CliState } from './context.js';
import type { Io } from './io.js';

export interface ProgramOptions {
  io?: Io;
  state?: CliState;
  /** Build only for rendering help text at build time. */
  forHelp?: boolean;
}

type Action = (ctx: CliContext, args: string[], opts: Record<string, unknown>) => Promise<number | void>;
type Loader = () => Promise<Action>;

export function buildProgram(options: ProgramOptions = {}): Command {
  const state: CliState = options.state ?? { exitCode: ExitCode.ok, json: false };
  const program = new Command('aidev')
    .description(
      'Takes a ticket from your tracker to a reviewed pull request with an AI model, under hard cost caps.',
    )
    .version(packageVersion(), '-V, --version')
    .option('--config <file>', 'config file (replaces the search for .aidevrc.*)')
    .option('--cwd <dir>', 'run as if started in <dir>')
    .addOption(
      new Option(
        '--output <mode>',
        'output: text, json (one object) or stream-json (events, then the result)',
      ).choices(['text', 'json', 'stream-json']),
    )
    .option('--json', 'same as --output json')
    .option('-y, --yes', 'approve gates automatically (recorded in the audit log)')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('--verbose', 'debug logs and stack traces')
    .option('-q, --quiet', 'only errors on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const io = options.io;
  const act =
    (load: Loader) =>
    async (...args: unknown[]): Promise<void> => {
      if (!io) return;
      const command = args[args.length - 1] as Command;
      const opts = command.opts<Record<string, unknown>>();
      const positional = args
        .slice(0, -2)
        .flatMap((a) => (Array.isArray(a) ? (a as string[]) : typeof a === 'string' ? [a] : []));
      const ctx = cliContext(io, state, command);
      const action = await load();
      const code = await action(ctx, positional, opts);
      if (typeof code === 'number') state.exitCode = code;
    };
  if (io) {
    program.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }

  // ---- setup and inspection
  program
    .command('init')
    .description('write .aidevrc.yaml for this repository (interactive, or flags with --yes)')
    .option('--force', 'overwrite an existing .aidevrc.yaml')
    .option('--tasks <provider>', 'task tracker provider')
    .option('--vcs <provider>', 'code host provider')
    .option('--ai <provider>', 'model provider')
    .option('--model <id>', 'model id')
    .action(act(async () => (await import('./actions/init.js')).initAction));

  const config = program.command('config').description('show, validate or migrate the configuration');
  config
    .command('show')
    .description('the effective config, secrets redacted')
    .option('--origins', 'show which layer set each value')
    .action(act(async () => (await import('./actions/config.js')).configShowAction));
  config
    .command('validate')
    .description('validate a config file: `path: message` errors, exit 2')
    .option('--file <file>', 'the file to validate (default: the one found from --cwd)')
    .action(act(async () => (await import('./actions/config.js')).configValidateAction));

  config
    .command('migrate')
    .description('rewrite a specification-style config into the native form')
    .option('--write', 'write it (the original is kept as <file>.bak)')
    .option('--to <file>', 'write to another file instead')
    .action(act(async () => (await import('./actions/config.js')).configMigrateAction));

  program
    .command('doctor')
    .description('check node, git, config, credentials, provider reachability, ledger and sandbox')
    .option('--offline', 'skip the calls that prove credentials against each provider')
    .action(act(async () => (await import('./actions/doctor.js')).doctorAction));

  program
    .command('providers')
    .description('the provider registry')
    .command('list')
    .description('every provider, with configured/ready state')
    .action(act(async () => (await import('./actions/providers.js')).providersListAction));

  const tasks = program.command('tasks').description('the configured task tracker');
  tasks
    .command('list')
    .description('list tasks')
    .option('--status <status>', 'todo, in_progress, in_review or done')
    .option('--assignee <name>', 'only this assignee')
    .option('--label <label>', 'only with this label')
    .option('--limit <n>', 'at most n tasks', parseCount)
    .action(act(async () => (await import('./actions/tasks.js')).tasksListAction));
  tasks
    .command('show <id>')
    .description('one task')
    .action(act(async () => (await import('./actions/tasks.js')).tasksShowAction));
  tasks
    .command('create <title>')
    .description('create a task')
    .option('--description <text>', 'the body (markdown)')
    .option('--type <type>', 'task, bug, story, epic…', 'task')
    .option('--label <label...>', 'labels')
    .option('--assignee <name>', 'assignee')
    .option('--parent <id>', 'parent task')
    .action(act(async () => (await import('./actions/tasks.js')).tasksCreateAction));

  // ---- the main job
  program
    .command('run <ids...>')
    .description('take tasks to reviewed pull requests (the standard_dev workflow by default)')
    .option('--workflow <name>', 'workflow name or file (default: workflows.run, standard_dev)')
    .option('--dry-run', 'print the plan (task, branch, steps, estimated cost) and change nothing')
    .option('--estimate', 'print the estimated cost and stop')
    .option('--parallel <n>', 'run up to n tasks at once, each in its own worktree', parseCount)
    .option('--fake-responses <file>', 'replay a scripted model (JSONL) instead of calling one')
    .option(
      '--no-baseline',
      'do not run the checks on the untouched base first (pre-existing failures then count)',
    )
    .action(act(async () => (await import('./actions/run.js')).runAction));
  program
    .command('demo')
    .description('a throwaway repo and task, solved end to end with a scripted model: no key, no network')
    .option('--dir <dir>', 'where to create the demo (default: a new folder in the system temp dir)')
    .action(act(async () => (await import('./actions/demo.js')).demoAction));
  program
    .command('plan [idea...]')
    .description('idea → reviewed plan of epics and tasks → the tracker (+ scaffold, docs page, notice)')
    .option('--requirement <text>', 'a requirement for the plan (repeatable)', collect, [])
    .option('--stack <tech>', 'a technology to use (repeatable)', collect, [])
    .option(
      '--from-file <file>',
      'a request {description, requirements[], tech_stack[]} or a finished plan {project, epics[]} (JSON or YAML)',
    )
    .option('--dry-run', 'draft and print the plan (and what publishing would create); publish nothing')
    .option('--estimate', 'print the estimated cost of drafting the plan and stop')
    .option('--resume <plan-id>', 'continue a saved, paused or cut-off plan (nothing is created twice)')
    .option('--scaffold <dir>', 'also scaffold a new git repository for the project in <dir>')
    .option('--fake-responses <file>', 'replay a scripted model (JSONL) instead of calling one')
    .action(act(async () => (await import('./actions/plan.js')).planAction));

  // ---- workflows and recovery
  const workflow = program.command('workflow').description('the workflows: list, show, validate, run');
  workflow
    .command('list')
    .description('shipped and project workflows, with their source')
    .action(act(async () => (await import('./actions/workflow.js')).workflowListAction));
  workflow
    .command('show <name>')
    .description('the steps of a workflow')
    .option('--native', 'print the file in the native form (specification-style steps rewritten)')
    .action(act(async () => (await import('./actions/workflow.js')).workflowShowAction));
  workflow
    .command('validate <file>')
    .description('check a workflow file: every problem with file:line:col, exit 2')
    .action(act(async () => (await import('./actions/workflow.js')).workflowValidateAction));
  workflow
    .command('run <workflow>')
    .description('run a workflow by name or file')
    .option('--input <name=value>', 'a workflow input (repeatable)', collect, [])
    .option('--no-rollback', 'on failure, keep what the completed steps did (the run stays resumable)')
    .action(act(async () => (await import('./actions/workflow.js')).workflowRunAction));
  program
    .command('resume <run>')
    .description('continue an interrupted, paused or budget-stopped run from its first unfinished step')
    .option('--approve', 'approve the pending gate')
    .option('--reject', 'reject the pending gate (the run stops, exit 5)')
    .option('--feedback <text>', 'send the pending gate back with feedback (or the reason, with --reject)')
    .option('--max-cost <usd>', "raise this run's cost cap (USD)", parseUsd)
    .option('--no-rollback', 'on failure, keep what the completed steps did')
    .action(act(async () => (await import('./actions/resume.js')).resumeAction));

  const prompts = program
    .command('prompts')
    .description('prompt templates: which file wins (project override or shipped)');
  prompts
    .command('list')
    .description('every prompt template and where it comes from')
    .action(act(async () => (await import('./actions/prompts.js')).promptsListAction));
  prompts
    .command('show <name>')
    .description('the template that wins for <name>, and its text')
    .action(act(async () => (await import('./actions/prompts.js')).promptsShowAction));

  // ---- history and cost
  const runs = program.command('runs').description('run history from the ledger');
  runs
    .command('list')
    .description('recent runs')
    .option('--status <status>', 'only runs in this status')
    .option('--task <id>', 'only runs of this task')
    .option('--limit <n>', 'at most n runs (default 20)', parseCount)
    .action(act(async () => (await import('./actions/runs.js')).runsListAction));
  runs
    .command('show <run>')
    .description('one run: steps, outputs, cost')
    .option('--audit', 'include the audit log (tool calls, denials, approvals)')
    .action(act(async () => (await import('./actions/runs.js')).runsShowAction));

  program
    .command('cost')
    .description('spending from the ledger')
    .option('--since <date>', 'from this date (YYYY-MM-DD)')
    .option('--month <YYYY-MM>', 'one calendar month (UTC)')
    .addOption(
      new Option('--by <key>', 'group by').choices(['task', 'model', 'workflow', 'day']).default('model'),
    )
    .action(act(async () => (await import('./actions/runs.js')).costAction));

  // ---- one laptop → many runners: the watcher, the CI templates, moving ledger history
  program
    .command('watch')
    .description(
      'claim and run the tasks assigned to the AI, with bounded concurrency (Ctrl-C: finish the steps, exit 130)',
    )
    .option('--once', 'poll once, run what matched, and exit (cron, CI)')
    .option('--label <label>', 'only tasks with this label (default: watch.label)')
    .option('--assignee <user>', 'only tasks assigned to this user, or me (default: watch.assignee)')
    .option('--interval <seconds>', 'seconds between polls (default: watch.interval, 60)', parseCount)
    .option('--workflow <name>', 'workflow name or file (default: workflows.run)')
    .addOption(new Option('--fake-responses <file>', 'replay a scripted model (JSONL)').hideHelp())
    .action(act(async () => (await import('./actions/watch.js')).watchAction));
  program
    .command('ci')
    .description('CI templates that run aidev on the team runners')
    .command('init <target>')
    .description('write the CI template: github (.github/workflows/aidev.yml) or gitlab (.gitlab-ci.yml)')
    .option('--force', 'overwrite an existing file')
    .option('--dry-run', 'print the file and write nothing')
    .action(act(async () => (await import('./actions/ci.js')).ciInitAction));
  const ledger = program.command('ledger').description('move run history between ledgers (JSONL)');
  ledger
    .command('export')
    .description('write the ledger history as JSONL (stdout, or --file)')
    .option('--file <file>', 'write to this file')
    .action(act(async () => (await import('./actions/ledger.js')).ledgerExportAction));
  ledger
    .command('import')
    .description('merge JSONL history into this ledger (idempotent)')
    .option('--file <file>', 'read this file (default: stdin)')
    .action(act(async () => (await import('./actions/ledger.js')).ledgerImportAction));

  return program;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseUsd(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected an amount in USD above 0, got "${value}"`);
  return n;
}
