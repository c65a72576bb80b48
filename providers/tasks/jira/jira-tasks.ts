// Jira as aidev's tracker: issues read with their description as markdown, statuses mapped through status_mapping or
// Jira's categories, status changes made by the workflow transition that reaches the mapped status, comments and
// descriptions written as ADF (Cloud) or wiki markup (Data Center), "Blocks" links, and custom fields by name or id.
import type { AuthChecker, AuthStatus } from '../../capabilities.js';
import { AidevError } from '../../../src/core/errors.js';
import type {
  LinkKind,
  NewTask,
  ProviderContext,
  Task,
  TaskComment,
  TaskFilter,
  TasksProvider,
  TaskStatus,
} from '../../types.js';
import type { JiraConfig } from './config.js';
import { RichText, type FieldValues, type JiraApi, type JiraField, type JiraIssue } from './jira-api.js';
import { JiraCloudApi, type JiraClientOptions } from './jira-cloud.js';
import { JiraDataCenterApi } from './jira-datacenter.js';
import { jiraError, sleep as realSleep, withRateLimitRetry, type RetryPolicy } from './jira-errors.js';
import { chooseTransition, describeTransitions, listJql, statusOf } from './jira-status.js';

const FIELDS = [
  'summary',
  'description',
  'status',
  'assignee',
  'labels',
  'parent',
  'issuetype',
  'issuelinks',
];
const TEXTAREA = 'com.atlassian.jira.plugin.system.customfieldtypes:textarea';

export interface JiraConnectOptions extends Omit<JiraClientOptions, 'report'> {
  deployment: 'cloud' | 'data_center';
  /** Injected by tests to record the waits instead of sleeping them. */
  sleep?: RetryPolicy['sleep'] | undefined;
}

type Signal = { signal?: AbortSignal };

export class JiraTasks implements TasksProvider, AuthChecker {
  readonly id = 'jira';
  readonly #ctx: ProviderContext<JiraConfig>;
  readonly #api: JiraApi;
  readonly #site: string;
  readonly #retry: RetryPolicy;
  #fields: Promise<JiraField[]> | undefined;

  static connect(ctx: ProviderContext<JiraConfig>, options: JiraConnectOptions): JiraTasks {
    const client = {
      ...options,
      site: options.site.replace(/\/+$/, ''),
      report: (m: string) => ctx.logger.debug(m),
    };
    const api = options.deployment === 'cloud' ? new JiraCloudApi(client) : new JiraDataCenterApi(client);
    return new JiraTasks(ctx, api, client.site, options.sleep);
  }

  constructor(ctx: ProviderContext<JiraConfig>, api: JiraApi, site: string, sleep?: RetryPolicy['sleep']) {
    this.#ctx = ctx;
    this.#api = api;
    this.#site = site;
    this.#retry = {
      retries: 3,
      maxWaitMs: 120_000,
      sleep: sleep ?? realSleep,
      onRetry: (ms, attempt) =>
        ctx.logger.warn(
          `Jira rate limit (429): retrying in ${Math.ceil(ms / 1000)}s (retry ${attempt} of 3)`,
        ),
    };
  }

  async getTask(id: string, opts: Signal = {}): Promise<Task> {
    const key = this.#key(id);
    const issue = await this.#call(
      `read ${key}`,
      () => this.#api.getIssue(key, this.#readFields()),
      opts,
      key,
    );
    return this.#toTask(issue);
  }

  async listTasks(filter: TaskFilter = {}, opts: Signal = {}): Promise<Task[]> {
    const { jql, project, status_mapping: mapping } = this.#ctx.settings;
    const query = listJql(jql, project, filter, mapping);
    const issues = await this.#call(
      `search issues (${query})`,
      () => this.#api.search(query, this.#readFields(), filter.limit ?? 100),
      opts,
    );
    // The JQL narrows by category; the exact standard status (e.g. in_review vs in_progress) is checked here.
    return issues.map((i) => this.#toTask(i)).filter((t) => !filter.status || t.status === filter.status);
  }

  async createTask(input: NewTask, opts: Signal = {}): Promise<Task> {
    if (!input.title.trim())
      throw new AidevError('USAGE', 'a task needs a title', { hint: 'aidev tasks create "Add login"' });
    const project = this.#ctx.settings.project;
    if (!project)
      throw new AidevError(
        'CONFIG_INVALID',
        `${this.#ctx.path}.project is not set, so aidev cannot tell where to create issues`,
        {
          hint: `set ${this.#ctx.path}.project to the project key, e.g. project: AUTH`,
        },
      );
    const parent = input.parentId ? this.#key(input.parentId) : undefined;
    const parentIssue = parent
      ? await this.#call(
          `read the parent ${parent}`,
          () => this.#api.getIssue(parent, ['issuetype']),
          opts,
          parent,
        )
      : undefined;
    const parentIsEpic = parentIssue ? this.#isEpic(parentIssue) : false;
    const type = input.type ?? (parent && !parentIsEpic ? 'subtask' : 'task');
    const types = this.#ctx.settings.issue_types as Record<string, string>;
    const fields: FieldValues = {
      project: { key: project },
      summary: input.title.trim(),
      issuetype: { name: types[type] ?? type.charAt(0).toUpperCase() + type.slice(1) },
      ...(input.description ? { description: new RichText(input.description) } : {}),
      // Jira labels cannot hold spaces.
      ...(input.labels?.length ? { labels: input.labels.map((l) => l.trim().replace(/\s+/g, '-')) } : {}),
      ...(input.assignee ? { assignee: this.#user(input.assignee) } : {}),
      ...(parent ? this.#parentField(parent, parentIsEpic) : {}),
    };
    const estimateField = this.#ctx.settings.custom_fields?.estimate;
    if (estimateField && input.estimate !== undefined)
      Object.assign(fields, await this.#resolveFields({ [estimateField]: input.estimate }, opts));
    const created = await this.#call(
      `create "${input.title.trim()}" in ${project}`,
      () => this.#api.createIssue(fields),
      opts,
    );
    for (const dependency of input.dependsOn ?? []) await this.link(dependency, created.key, 'blocks', opts);
    return this.getTask(created.key, opts);
  }

  async updateStatus(id: string, status: TaskStatus, opts: Signal = {}): Promise<Task> {
    const key = this.#key(id);
    const mapping = this.#ctx.settings.status_mapping;
    const current = await this.getTask(key, opts);
    const mapped = mapping?.[status];
    const wanted = (mapped === undefined ? [] : Array.isArray(mapped) ? mapped : [mapped]).map((n) =>
      n.toLowerCase(),
    );
    const here = await this.#call(`read ${key}`, () => this.#api.getIssue(key, ['status']), opts, key);
    const name = here.fields.status?.name ?? '';
    if (current.status === status && (!wanted.length || wanted.includes(name.toLowerCase()))) return current;
    const transitions = await this.#call(
      `read the transitions of ${key}`,
      () => this.#api.transitions(key),
      opts,
      key,
    );
    const pick = chooseTransition(transitions, status, mapping);
    if (!pick)
      throw new AidevError(
        'PROVIDER_ERROR',
        `Jira: ${key} cannot move from "${name}" to ${status}${wanted.length ? ` (${wanted.map((w) => `"${w}"`).join(' or ')})` : ''}: no transition leads there; available: ${describeTransitions(transitions)}`,
        {
          hint: transitions.length
            ? `set ${this.#ctx.path}.status_mapping.${status} to the status to use (one of: ${[...new Set(transitions.map((t) => t.to.name))].join(', ')}), or add that transition to the workflow`
            : `move ${key} by hand, or check the workflow of its project`,
          details: { transitions: transitions.map((t) => ({ id: t.id, name: t.name, to: t.to.name })) },
        },
      );
    await this.#call(`move ${key} to "${pick.to.name}"`, () => this.#api.transition(key, pick.id), opts, key);
    return this.getTask(key, opts);
  }

  async addComment(id: string, body: string, opts: Signal = {}): Promise<TaskComment> {
    const key = this.#key(id);
    const comment = await this.#call(`comment on ${key}`, () => this.#api.addComment(key, body), opts, key);
    return { id: comment.id, url: `${this.#site}/browse/${key}?focusedCommentId=${comment.id}` };
  }

  /** `a blocks b` through the configured link type; `parent` sets a's parent (or epic link); `relates` → "Relates". */
  async link(fromId: string, toId: string, kind: LinkKind, opts: Signal = {}): Promise<void> {
    const from = this.#key(fromId);
    const to = this.#key(toId);
    if (kind === 'parent') {
      const parent = await this.#call(`read ${to}`, () => this.#api.getIssue(to, ['issuetype']), opts, to);
      const fields = this.#parentField(to, this.#isEpic(parent));
      await this.#call(
        `set the parent of ${from} to ${to}`,
        () => this.#api.editIssue(from, fields),
        opts,
        from,
      );
      return;
    }
    const type = kind === 'blocks' ? this.#ctx.settings.link_type : 'Relates';
    await this.#call(`link ${from} ${kind} ${to}`, () => this.#api.link(type, from, to), opts);
  }

  /** Custom fields by standard name (through custom_fields), by field id, or by Jira field name. */
  async setFields(id: string, values: Record<string, string>, opts: Signal = {}): Promise<void> {
    const key = this.#key(id);
    const fields = await this.#resolveFields(values, opts);
    await this.#call(
      `set ${Object.keys(values).join(', ')} on ${key}`,
      () => this.#api.editIssue(key, fields),
      opts,
      key,
    );
  }

  async checkAuth(opts: Signal = {}): Promise<AuthStatus> {
    try {
      const me = await this.#call('authenticate', () => this.#api.myself(), opts);
      return {
        ok: true,
        identity: me.displayName,
        detail: `${me.displayName} at ${this.#site} (${this.#api.deployment})`,
      };
    } catch (error) {
      const e = error instanceof AidevError ? error : jiraError(error, this.#at('authenticate'));
      return { ok: false, identity: null, detail: e.message, hint: e.hint };
    }
  }

  async #resolveFields(values: Record<string, unknown>, opts: Signal): Promise<FieldValues> {
    const mapped = this.#ctx.settings.custom_fields ?? {};
    const out: FieldValues = {};
    let known: JiraField[] | undefined;
    for (const [name, value] of Object.entries(values)) {
      const wanted = mapped[name] ?? name;
      known ??= await (this.#fields ??= this.#call('read the field list', () => this.#api.fields(), opts));
      const field =
        known.find((f) => f.id === wanted) ??
        known.find((f) => f.name.toLowerCase() === wanted.toLowerCase());
      if (!field)
        throw new AidevError(
          'CONFIG_INVALID',
          `Jira has no field "${wanted}"${wanted !== name ? ` (${this.#ctx.path}.custom_fields.${name})` : ''}`,
          {
            hint: `set ${this.#ctx.path}.custom_fields.${name} to a field id (e.g. customfield_10050) or its exact name; Jira's fields include: ${known
              .filter((f) => f.custom)
              .slice(0, 8)
              .map((f) => `${f.id} "${f.name}"`)
              .join(', ')}`,
          },
        );
      out[field.id] =
        field.customType === TEXTAREA && typeof value === 'string' ? new RichText(value) : value;
    }
    return out;
  }

  #parentField(parent: string, parentIsEpic: boolean): FieldValues {
    // Data Center links stories to epics through the "Epic Link" custom field, not `parent`.
    const epicLink = this.#ctx.settings.custom_fields?.epic_link;
    if (parentIsEpic && this.#api.deployment === 'data_center' && epicLink) return { [epicLink]: parent };
    return { parent: { key: parent } };
  }

  #isEpic(issue: JiraIssue): boolean {
    const type = issue.fields.issuetype;
    return (
      (type?.hierarchyLevel ?? 0) >= 1 ||
      type?.name?.toLowerCase() === this.#ctx.settings.issue_types.epic.toLowerCase()
    );
  }

  #user(name: string): Record<string, string> {
    return this.#api.deployment === 'cloud' ? { accountId: name } : { name };
  }

  #toTask(issue: JiraIssue): Task {
    const f = issue.fields;
    const types = this.#ctx.settings.issue_types as Record<string, string>;
    const typeName = f.issuetype?.name ?? 'Task';
    const type =
      Object.keys(types).find((k) => types[k]!.toLowerCase() === typeName.toLowerCase()) ??
      (f.issuetype?.subtask ? 'subtask' : typeName.toLowerCase());
    const linkType = this.#ctx.settings.link_type.toLowerCase();
    // In an issue's own links, `inwardIssue` is the other issue read through the inward phrase: "is blocked by".
    const dependsOn = (f.issuelinks ?? [])
      .filter((l) => l.type?.name?.toLowerCase() === linkType && l.inwardIssue?.key)
      .map((l) => l.inwardIssue!.key!);
    const epicLink = this.#ctx.settings.custom_fields?.epic_link;
    const parent = f.parent?.key ?? (epicLink && typeof f[epicLink] === 'string' ? f[epicLink] : undefined);
    return {
      id: issue.key,
      type,
      title: f.summary ?? '',
      description: typeof f.description === 'string' ? f.description : '',
      status: statusOf(
        f.status?.name ?? '',
        f.status?.statusCategory?.key ?? '',
        this.#ctx.settings.status_mapping,
      ),
      assignee: f.assignee
        ? (f.assignee.displayName ?? f.assignee.name ?? f.assignee.accountId ?? null)
        : null,
      labels: f.labels ?? [],
      url: `${this.#site}/browse/${issue.key}`,
      parentId: parent,
      dependsOn,
    };
  }

  #readFields(): string[] {
    const epicLink = this.#ctx.settings.custom_fields?.epic_link;
    return epicLink ? [...FIELDS, epicLink] : FIELDS;
  }

  #key(id: string): string {
    const key = id.trim().toUpperCase();
    if (!/^[A-Z][A-Z0-9_]*-\d+$/.test(key))
      throw new AidevError('TASK_NOT_FOUND', `"${id}" is not a Jira issue key`, {
        hint: 'Jira keys look like PROJ-123',
      });
    return key;
  }

  async #call<T>(action: string, call: () => Promise<T>, opts: Signal, issue?: string): Promise<T> {
    try {
      return await withRateLimitRetry(call, this.#retry, opts.signal);
    } catch (error) {
      throw jiraError(error, { ...this.#at(action), issue });
    }
  }

  #at(action: string) {
    return { action, path: this.#ctx.path, site: this.#site, deployment: this.#api.deployment };
  }
}
