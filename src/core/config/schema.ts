// The one config schema. JSON Schema, docs/config.md and .aidevrc.example.yaml are generated from it (npm run gen).
import { z } from 'zod';
import { providerDefinitions } from '../../../providers/index.js';
import type { Category } from '../../../providers/types.js';
import { checkPackageSchema, uniquePackages } from './verify-packages.js';

const defaultProvider: Record<Category, string> = {
  ai: 'anthropic',
  tasks: 'local',
  vcs: 'local',
  docs: 'local',
  chat: 'console',
};

const categoryDescription: Record<Category, string> = {
  ai: 'The model provider',
  tasks: 'The task tracker',
  vcs: 'The code host (push and pull requests)',
  docs: 'Where documentation pages are written',
  chat: 'Where notifications go',
};

/**
 * Systems DESIGN.md names that this build may not ship yet. A config naming one still validates (its block is kept
 * as written), and using it fails with "not available in this version" rather than "unknown provider".
 */
export const PLANNED_PROVIDERS: Record<Category, readonly string[]> = {
  ai: ['anthropic', 'openai', 'fake'],
  tasks: ['local', 'jira', 'linear', 'github', 'asana'],
  vcs: ['local', 'github', 'gitlab', 'bitbucket'],
  docs: ['local', 'confluence', 'notion', 'gitbook'],
  chat: ['console', 'slack', 'discord', 'teams'],
};

function providerBlocks(category: Category): Record<string, z.ZodType> {
  const blocks: Record<string, z.ZodType> = {};
  for (const id of plannedOnly(category)) {
    blocks[id] = z
      .record(z.string(), z.unknown())
      .optional()
      .describe(`${id}: not available in this version of aidev`);
  }
  for (const def of providerDefinitions)
    if (def.category === category) blocks[def.id] = (def.configSchema as z.ZodType).optional();
  return blocks;
}

export function providerIds(category: Category): string[] {
  return providerDefinitions.filter((d) => d.category === category).map((d) => d.id);
}

/** Planned ids with no implementation in this build. */
export function plannedOnly(category: Category): string[] {
  const shipped = new Set(providerIds(category));
  return PLANNED_PROVIDERS[category].filter((id) => !shipped.has(id));
}

function providerChoice(category: Category) {
  const ids = providerIds(category);
  const accepted = [...ids, ...plannedOnly(category)] as [string, ...string[]];
  return z
    .enum(accepted, {
      error: (issue) => `unknown ${category} provider "${String(issue.input)}"; known: ${ids.join(', ')}`,
    })
    .default(defaultProvider[category])
    .describe(`${categoryDescription[category]}: one of ${ids.join(', ')}`);
}

const priceSchema = z.strictObject({
  input: z.number().min(0).describe('USD per million input tokens'),
  output: z.number().min(0).describe('USD per million output tokens'),
  cache_write: z
    .number()
    .min(0)
    .optional()
    .describe('USD per million cache-write tokens (default: 1.25 × input)'),
  cache_read: z
    .number()
    .min(0)
    .optional()
    .describe('USD per million cache-read tokens (default: 0.1 × input)'),
});

const aiSchema = z
  .strictObject({
    provider: providerChoice('ai'),
    model: z.string().optional().describe('Model id (default: the provider default model)'),
    max_tokens: z
      .number()
      .int()
      .positive()
      .default(8192)
      .describe('Output tokens per model call (the budget guard may shrink it)'),
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature'),
    pricing: z
      .record(z.string(), priceSchema)
      .default({})
      .describe('Price overrides or additions per model id'),
    rate_limit: z
      .strictObject({
        concurrency: z
          .number()
          .int()
          .positive()
          .optional()
          .describe(
            'Model calls in flight at once, shared by parallel runs (default: system.max_concurrent_agents, so parallel runs never queue for a slot)',
          ),
        requests_per_minute: z
          .number()
          .int()
          .positive()
          .default(50)
          .describe('Model calls started per minute'),
      })
      .prefault({})
      .describe('Per-provider request limits'),
    ...providerBlocks('ai'),
  })
  .prefault({})
  .describe('The AI model');

function categorySchema(category: Exclude<Category, 'ai'>, extra: Record<string, z.ZodType> = {}) {
  return z
    .strictObject({ provider: providerChoice(category), ...extra, ...providerBlocks(category) })
    .prefault({})
    .describe(categoryDescription[category]);
}

export const configSchema = z
  .strictObject({
    system: z
      .strictObject({
        name: z.string().optional().describe('A name for this setup (shown in notifications)'),
        workspace_dir: z
          .string()
          .optional()
          .describe('Where run worktrees go (default: $AIDEV_HOME/worktrees)'),
        max_concurrent_agents: z
          .number()
          .int()
          .positive()
          .default(5)
          .describe('Runs at once (--parallel, watch)'),
        ledger_path: z
          .string()
          .optional()
          .describe('The SQLite ledger file when ledger.url is sqlite: (default: $AIDEV_HOME/ledger.db)'),
      })
      .prefault({})
      .describe('Machine-level settings'),
    ai: aiSchema,
    cost: z
      .strictObject({
        max_cost_per_task: z.number().min(0).default(5).describe('Hard cap in USD per run of one task'),
        max_tokens_per_task: z
          .number()
          .int()
          .min(0)
          .default(50000)
          .describe('Hard cap on tokens (input + output) per run'),
        monthly_budget: z
          .number()
          .min(0)
          .default(500)
          .describe('Hard cap in USD per calendar month (UTC), across all runs'),
        warn_at_percent: z.number().min(1).max(100).default(80).describe('Warn when a cap is this % used'),
        allow_unpriced: z
          .boolean()
          .default(false)
          .describe('Allow models with no known price (counted as $0, with a warning)'),
      })
      .prefault({})
      .describe('Budget caps: spend never exceeds them'),
    tasks: categorySchema('tasks'),
    vcs: categorySchema('vcs', {
      draft: z.boolean().default(false).describe('Open pull requests as drafts'),
    }),
    docs: categorySchema('docs'),
    chat: categorySchema('chat'),
    git: z
      .strictObject({
        base_branch: z
          .string()
          .optional()
          .describe("Branch runs start from (default: the remote's default branch, else the current one)"),
        release_branch: z.string().optional().describe('Branch hotfixes start from (default: base_branch)'),
        remote: z.string().default('origin').describe('The git remote to fetch from and push to'),
        branch_template: z
          .string()
          .default('feature/{{task.id}}')
          .describe('Handlebars template of the branch name'),
        commit_template: z
          .string()
          .default('{{task.id}}: {{task.title}}')
          .describe('Handlebars template of the commit subject (an Aidev-Run trailer is always added)'),
      })
      .prefault({})
      .describe('Local git'),
    workspace: z
      .strictObject({
        setup: z
          .array(z.string())
          .default([])
          .describe('Commands run once in a new worktree before the agent starts (e.g. npm ci)'),
        reuse: z
          .enum(['auto', 'copy', 'off'])
          .default('auto')
          .describe(
            "Reuse the main checkout's node_modules instead of the install command when package.json and the lockfile are identical: auto hard-links (copies across file systems), copy always copies, off always installs",
          ),
      })
      .prefault({})
      .describe('The per-run worktree'),
    verify: z
      .strictObject({
        checks: z
          .array(z.string())
          .default([])
          .describe('Commands that must pass before the review gate (e.g. npm test)'),
        max_fix_attempts: z
          .number()
          .int()
          .min(0)
          .default(2)
          .describe('Rounds the agent gets to fix failing checks'),
        timeout: z.number().int().positive().default(600).describe('Seconds each check may run'),
        baseline: z
          .boolean()
          .default(true)
          .describe(
            'Run the checks on the untouched base first (cached per base commit) so failures that already exist are reported as pre-existing, not sent to the agent (aidev run --no-baseline skips it)',
          ),
        packages: z
          .array(checkPackageSchema)
          .default([])
          .describe(
            "Monorepo packages with their own checks, each {path, name?, checks?}: path is the folder; name (default: the folder's basename) is how tasks name it; checks (default: verify.checks run inside the folder) run from the repository root. A run whose task names one, or whose change stays inside one, runs only its checks (see verify.scope)",
          ),
        scope: z
          .enum(['auto', 'task', 'repo'])
          .default('auto')
          .describe(
            'Which checks run when verify.packages is set: auto = the package the task names (label, title prefix, path), else the one package the change touches, else repo-wide; task = only the package the task names; repo = always verify.checks',
          ),
      })
      .superRefine(uniquePackages)
      .prefault({})
      .describe('Checks run after the agent'),
    agent: z
      .strictObject({
        max_turns: z.number().int().positive().default(40).describe('Model turns per agent step'),
        command_timeout: z.number().int().positive().default(300).describe('Seconds a run_command may take'),
        output_limit: z
          .number()
          .int()
          .positive()
          .default(20000)
          .describe('Characters of tool output kept per call'),
      })
      .prefault({})
      .describe('The coding agent'),
    security: z
      .strictObject({
        blocked_paths: z
          .array(z.string())
          .default(['.env', '.env.*', '*.key', '*.pem', 'id_rsa*'])
          .describe('Glob patterns the agent can neither read nor write'),
        allowed_commands: z
          .array(z.string())
          .default([])
          .describe('Command prefixes the agent may run, besides the checks and read-only git'),
        denied_commands: z
          .array(z.string())
          .default(['curl', 'wget', 'rm -rf /', 'sudo', 'ssh', 'scp', 'git push'])
          .describe('Command prefixes always refused, even with --yes'),
        sandbox: z
          .enum(['auto', 'bwrap', 'none'])
          .default('auto')
          .describe('Run agent commands in bubblewrap (auto: when installed)'),
        redact_patterns: z
          .array(z.string())
          .default([])
          .describe('Extra regular expressions redacted from model traffic and logs'),
      })
      .prefault({})
      .describe('What the agent may touch and run'),
    ledger: z
      .strictObject({
        url: z
          .string()
          .default('sqlite:')
          .describe(
            'sqlite: (the file in AIDEV_HOME, or sqlite:<path>) or postgres://user@host:5432/db with PGPASSWORD in the environment; AIDEV_LEDGER_URL overrides it',
          ),
      })
      .prefault({})
      .describe('Where run history and the budget live'),
    watch: z
      .strictObject({
        assignee: z
          .string()
          .optional()
          .describe("Claim tasks assigned to this user (me: the tracker credential's user)"),
        label: z.string().optional().describe('Claim tasks with this label'),
        interval: z.number().int().min(1).default(60).describe('Seconds between polls'),
        jitter: z
          .number()
          .min(0)
          .max(1)
          .default(0.1)
          .describe('± fraction of the interval, so watchers spread out'),
        grace_period: z
          .number()
          .int()
          .min(0)
          .default(30)
          .describe('Seconds running steps get to reach a checkpoint on SIGTERM/SIGINT'),
      })
      .prefault({})
      .describe('aidev watch: which tasks it claims and how often it polls'),
    plan: z
      .strictObject({
        min_tasks: z
          .number()
          .int()
          .min(1)
          .default(20)
          .describe(
            'Fewest tasks a drafted plan may have (a plan a person wrote or edited is not held to it)',
          ),
        max_tasks: z.number().int().min(1).default(200).describe('Most tasks any plan may have'),
        max_repairs: z
          .number()
          .int()
          .min(0)
          .default(2)
          .describe('Times the exact problems go back to the model before aidev plan gives up'),
        max_tokens: z
          .number()
          .int()
          .min(256)
          .optional()
          .describe('Output tokens per planning call (default and ceiling: ai.max_tokens)'),
        scaffold_dir: z
          .string()
          .optional()
          .describe('Scaffold a new repository here when --scaffold is not given'),
        context_readme_chars: z
          .number()
          .int()
          .min(0)
          .default(6000)
          .describe('Characters of the README the model sees when the project is a git repository'),
        context_files: z.number().int().min(0).default(300).describe('Paths of the file tree the model sees'),
      })
      .prefault({})
      .describe('aidev plan: task counts, repair rounds, scaffold, repository context'),
    workflows: z
      .strictObject({
        run: z.string().default('standard_dev').describe('Workflow of aidev run'),
        plan: z.string().default('plan_project').describe('Workflow of aidev plan'),
        paths: z
          .array(z.string())
          .default([])
          .describe('Extra folders searched for workflow files (after .aidev/workflows)'),
      })
      .prefault({})
      .describe('Which workflows commands use'),
    approvals: z
      .strictObject({
        diff: z.boolean().default(true).describe('A person approves the diff before commit and push'),
        plan: z.boolean().default(true).describe('A person approves a plan before it is published'),
      })
      .prefault({})
      .describe('Which approval gates are required'),
  })
  .describe('aidev configuration (.aidevrc.yaml)');

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
