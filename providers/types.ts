// The five small provider interfaces and the standard task. Every system implements one of these; nothing here imports an SDK.
import type { ZodType } from 'zod';
import type { Runtime } from '../src/core/runtime.js';

export type Category = 'ai' | 'tasks' | 'vcs' | 'docs' | 'chat';

// ---------- tasks ----------
export const TASK_STATUSES = ['todo', 'in_progress', 'in_review', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Task {
  id: string;
  type: string;
  title: string;
  description: string;
  status: TaskStatus;
  assignee: string | null;
  labels: string[];
  url: string | null;
  parentId?: string | undefined;
  dependsOn: string[];
  estimate?: string | number | undefined;
}

export interface TaskFilter {
  status?: TaskStatus | undefined;
  assignee?: string | undefined;
  label?: string | undefined;
  limit?: number | undefined;
}

export interface NewTask {
  title: string;
  description?: string | undefined;
  type?: string | undefined;
  labels?: string[] | undefined;
  assignee?: string | undefined;
  parentId?: string | undefined;
  dependsOn?: string[] | undefined;
  estimate?: string | number | undefined;
}

export interface TaskComment {
  id: string;
  url?: string | undefined;
}

export type LinkKind = 'blocks' | 'relates' | 'parent';

export interface TasksProvider {
  readonly id: string;
  getTask(id: string, opts?: { signal?: AbortSignal }): Promise<Task>;
  listTasks(filter?: TaskFilter, opts?: { signal?: AbortSignal }): Promise<Task[]>;
  createTask(input: NewTask, opts?: { signal?: AbortSignal }): Promise<Task>;
  updateStatus(id: string, status: TaskStatus, opts?: { signal?: AbortSignal }): Promise<Task>;
  addComment(id: string, body: string, opts?: { signal?: AbortSignal }): Promise<TaskComment>;
  link(fromId: string, toId: string, kind: LinkKind, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Writes custom fields (names already mapped through config). Optional: not every tracker has them. */
  setFields?(id: string, fields: Record<string, string>, opts?: { signal?: AbortSignal }): Promise<void>;
}

// ---------- vcs ----------
export interface RepoInfo {
  /** Human name, e.g. `acme/api`. */
  name: string;
  remoteUrl: string | null;
  defaultBranch: string;
  webUrl: string | null;
}

export interface PullRequest {
  url: string;
  number?: number | undefined;
  id: string;
  state: 'open' | 'closed' | 'merged';
  head: string;
  base: string;
  title: string;
  draft: boolean;
}

export interface OpenPullRequestInput {
  title: string;
  body: string;
  head: string;
  base: string;
  draft?: boolean | undefined;
  labels?: string[] | undefined;
  reviewers?: string[] | undefined;
  assignees?: string[] | undefined;
}

export interface VcsProvider {
  readonly id: string;
  /** Pushes `branch` from the checkout at `cwd` to the configured remote. */
  pushBranch(
    input: { cwd: string; branch: string; force?: boolean },
    opts?: { signal?: AbortSignal },
  ): Promise<{ remote: string; ref: string }>;
  openPullRequest(input: OpenPullRequestInput, opts?: { signal?: AbortSignal }): Promise<PullRequest>;
  /** Updates title/body of an existing PR (re-runs update instead of opening a second one). */
  updatePullRequest?(
    pr: PullRequest,
    input: Partial<OpenPullRequestInput>,
    opts?: { signal?: AbortSignal },
  ): Promise<PullRequest>;
  findPullRequest(input: { head: string }, opts?: { signal?: AbortSignal }): Promise<PullRequest | null>;
  closePullRequest?(pr: PullRequest, opts?: { signal?: AbortSignal }): Promise<void>;
  commentOnPullRequest?(pr: PullRequest, body: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** The repository's own PR template, when it has one. */
  pullRequestTemplate?(cwd: string): Promise<string | null>;
  repoInfo(opts?: { signal?: AbortSignal }): Promise<RepoInfo>;
}

// ---------- docs ----------
export interface DocPage {
  id: string;
  url: string;
  version: number;
  key: string;
  title: string;
}

export interface DocsProvider {
  readonly id: string;
  /** Pages that live in the repository and ship on the run's branch (GitBook Git Sync): the engine passes `cwd`. */
  readonly writesToWorktree?: boolean;
  upsertPage(
    input: {
      key: string;
      title: string;
      markdown: string;
      parent?: string | undefined;
      /** The checkout to write into (the run's worktree), for providers whose pages live in the repository. */
      cwd?: string | undefined;
      /** The page id the ledger recorded for this key on an earlier run: updated when it still exists. */
      id?: string | undefined;
    },
    opts?: { signal?: AbortSignal },
  ): Promise<DocPage>;
  findPage(key: string, opts?: { signal?: AbortSignal; cwd?: string | undefined }): Promise<DocPage | null>;
  linkFor(key: string): string | null;
}

// ---------- chat ----------
export interface ChatMessage {
  text: string;
  link?: { url: string; label?: string | undefined } | undefined;
  /** Facts shown as fields where the system can (task, status, cost, duration). */
  fields?: Record<string, string> | undefined;
  level?: 'info' | 'success' | 'warning' | 'error' | 'urgent' | undefined;
  /** Thread to reply in, from an earlier notify of the same run. */
  threadId?: string | undefined;
  /**
   * Where to post instead of the configured destination (the specification's `send_message` names a channel).
   * Notifiers that can post to several places (Slack) honour it; webhook and console notifiers have one place.
   */
  channel?: string | undefined;
}

export interface ChatProvider {
  readonly id: string;
  notify(
    message: ChatMessage,
    opts?: { signal?: AbortSignal },
  ): Promise<{ id: string | null; threadId: string | null }>;
}

// ---------- ai ----------
export type AiContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; toolUseId: string; content: string; isError?: boolean | undefined };

export interface AiMessage {
  role: 'user' | 'assistant';
  content: string | AiContentBlock[];
}

export interface AiTool {
  name: string;
  description: string;
  /** JSON Schema of the input object. */
  inputSchema: Record<string, unknown>;
}

export interface AiRequest {
  system: string;
  messages: AiMessage[];
  tools?: AiTool[] | undefined;
  maxTokens: number;
  temperature?: number | undefined;
  /** Force a tool (structured output): the model must call this tool. */
  toolChoice?: { type: 'auto' } | { type: 'tool'; name: string } | undefined;
  /** Mark the stable prefix (system, tools, earlier turns) cacheable. Default true. */
  cache?: boolean | undefined;
  model?: string | undefined;
}

export interface AiUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface AiResponse {
  model: string;
  content: AiContentBlock[];
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'other';
  usage: AiUsage;
}

export type AiStreamEvent = { type: 'text'; text: string } | { type: 'tool_use'; name: string; id: string };

export interface ModelPrice {
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export interface AiProvider {
  readonly id: string;
  readonly model: string;
  readonly maxTokens: number;
  complete(request: AiRequest, opts?: { signal?: AbortSignal }): Promise<AiResponse>;
  stream(
    request: AiRequest,
    opts: { signal?: AbortSignal; onEvent: (event: AiStreamEvent) => void },
  ): Promise<AiResponse>;
  /** Input tokens the request would use (counted by the API where it can, else estimated). */
  countTokens(request: AiRequest, opts?: { signal?: AbortSignal }): Promise<number>;
}

// ---------- registry ----------
export interface ProvidersByCategory {
  ai: AiProvider;
  tasks: TasksProvider;
  vcs: VcsProvider;
  docs: DocsProvider;
  chat: ChatProvider;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProviderContext<C> {
  /** This provider's validated settings block (e.g. `tasks.jira`), with `${ENV}` already interpolated. */
  settings: C;
  /** The config path of the settings block, e.g. `tasks.jira`, for error messages. */
  path: string;
  runtime: Runtime;
  /** The repository checkout aidev runs against (the --cwd). */
  repoRoot: string;
  /** Remote name from `git.remote`. */
  gitRemote: string;
  logger: Logger;
  /**
   * Reads a credential: the settings key when set (from `${NAME}`), else the default env variable.
   * Throws ENV_MISSING naming the config path and the variable when neither is there.
   */
  credential(key: string, defaultEnv: string | readonly string[]): string;
  /** Like credential() but returns undefined instead of throwing. */
  optionalCredential(key: string, defaultEnv: string | readonly string[]): string | undefined;
}

export interface CredentialSpec {
  key: string;
  env: readonly string[];
  /** Whether the provider can run without it (e.g. a local model server needs no key). */
  optional?: boolean;
}

export interface ProviderDefinition<K extends Category = Category, C = unknown> {
  category: K;
  id: string;
  description: string;
  configSchema: ZodType<C>;
  credentials: readonly CredentialSpec[];
  /**
   * When credentials are alternatives (Jira: email + api_token, or pat), the sets of keys of which one must be
   * complete. doctor and `providers list` use it to say what is missing; create() still gives the precise error.
   */
  credentialSets?: readonly (readonly string[])[];
  create(ctx: ProviderContext<C>): Promise<ProvidersByCategory[K]>;
}

export function defineProvider<K extends Category, C>(
  definition: ProviderDefinition<K, C>,
): ProviderDefinition<K, C> {
  return definition;
}
