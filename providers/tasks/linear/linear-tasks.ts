// The Linear tracker over @linear/sdk: issues by identifier (ENG-123), the team's workflow states, labels, sub-issues and
// "blocks" relations. Every call is one GraphQL document from queries.ts, sent through the SDK's client (auth, error
// parsing), with rate limits retried a bounded number of times.
import type { AuthStatus } from '../../capabilities.js';
import { LinearClient } from '@linear/sdk';
import { AidevError } from '../../../src/core/errors.js';
import { withRateLimit } from '../../shared/rate-limit.js';
import type { TaskProjects, TrackerProject } from '../project-capability.js';
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
import type { LinearTasksConfig } from './config.js';
import { linearError, linearRetryAfter } from './errors.js';
import {
  COMMENT_CREATE,
  ISSUE_CREATE,
  ISSUE_QUERY,
  ISSUE_TEAM_QUERY,
  ISSUE_UPDATE,
  ISSUES_QUERY,
  LABEL_CREATE,
  PROJECT_CREATE,
  PROJECTS_QUERY,
  RELATION_CREATE,
  TEAMS_QUERY,
  USERS_QUERY,
  VIEWER_QUERY,
  type IssueNode,
  type ProjectNode,
  type TeamNode,
} from './queries.js';
import { estimateOf, projectFilter, teamFilter, toTask } from './mapping.js';
import { stateForStatus } from './status.js';

type Opts = { signal?: AbortSignal | undefined } | undefined;

const STATE_TYPES: Record<TaskStatus, string[]> = {
  todo: ['triage', 'backlog', 'unstarted'],
  in_progress: ['started'],
  in_review: ['started'],
  done: ['completed', 'canceled'],
};

export class LinearTasks implements TasksProvider, TaskProjects {
  readonly id = 'linear';
  readonly #client: LinearClient;
  readonly #settings: LinearTasksConfig;
  readonly #path: string;
  #team: Promise<TeamNode> | undefined;
  #project: Promise<ProjectNode> | undefined;

  private constructor(client: LinearClient, ctx: ProviderContext<LinearTasksConfig>) {
    this.#client = client;
    this.#settings = ctx.settings;
    this.#path = ctx.path;
  }

  static connect(ctx: ProviderContext<LinearTasksConfig>): LinearTasks {
    const apiKey = ctx.credential('api_key', 'LINEAR_API_KEY');
    try {
      return new LinearTasks(new LinearClient({ apiKey, apiUrl: ctx.settings.base_url }), ctx);
    } catch (error) {
      // The SDK refuses plain http to anything but a local server.
      throw new AidevError('CONFIG_INVALID', `${ctx.path}.base_url: ${(error as Error).message}`, {
        hint: 'use an https:// URL (http:// only for localhost), or leave base_url out for api.linear.app',
        details: { path: `${ctx.path}.base_url` },
        cause: error,
      });
    }
  }

  async getTask(id: string, opts?: Opts): Promise<Task> {
    const data = await this.#request<{ issue: IssueNode | null }>(
      'read issue ' + id,
      ISSUE_QUERY,
      { id },
      opts,
    ).catch((error: unknown) => {
      throw this.#notFound(error, id);
    });
    if (!data.issue) throw this.#notFound(undefined, id);
    return toTask(data.issue, this.#settings.status_mapping);
  }

  async listTasks(filter: TaskFilter = {}, opts?: Opts): Promise<Task[]> {
    const and: Record<string, unknown>[] = [];
    if (this.#settings.team) and.push({ team: teamFilter(this.#settings.team) });
    if (this.#settings.project) and.push({ project: projectFilter(this.#settings.project) });
    if (filter.label) and.push({ labels: { some: { name: { eqIgnoreCase: filter.label } } } });
    if (filter.assignee)
      and.push({
        assignee:
          filter.assignee === 'me'
            ? { isMe: { eq: true } }
            : filter.assignee.includes('@')
              ? { email: { eqIgnoreCase: filter.assignee } }
              : { displayName: { eqIgnoreCase: filter.assignee } },
      });
    if (filter.status) {
      // Filter broadly by state type on the server, then exactly by the mapped status here.
      and.push({ state: { type: { in: STATE_TYPES[filter.status] } } });
    }
    const first = Math.min(filter.limit ?? 50, 250);
    const data = await this.#request<{ issues: { nodes: IssueNode[] } }>(
      'list issues',
      ISSUES_QUERY,
      { filter: and.length ? { and } : undefined, first },
      opts,
    );
    const tasks = data.issues.nodes.map((n) => toTask(n, this.#settings.status_mapping));
    return filter.status ? tasks.filter((t) => t.status === filter.status) : tasks;
  }

  async createTask(input: NewTask, opts?: Opts): Promise<Task> {
    if (!input.title.trim())
      throw new AidevError('USAGE', 'a task needs a title', { hint: 'aidev tasks create "Add login"' });
    const team = await this.#teamNode(opts);
    const labelIds = await this.#labelIds(team, input.labels ?? [], opts);
    const project = this.#settings.project ? await this.#projectNode(opts) : undefined;
    const created = await this.#request<{ issueCreate: { success: boolean; issue: IssueNode | null } }>(
      `create an issue in team ${team.key}`,
      ISSUE_CREATE,
      {
        input: {
          teamId: team.id,
          title: input.title.trim(),
          description: input.description || undefined,
          labelIds: labelIds.length ? labelIds : undefined,
          projectId: project?.id,
          parentId: input.parentId,
          estimate: estimateOf(input.estimate),
          assigneeId: input.assignee ? await this.#userId(input.assignee, opts) : undefined,
        },
      },
      opts,
    );
    const issue = created.issueCreate.issue;
    if (!created.issueCreate.success || !issue)
      throw new AidevError('PROVIDER_ERROR', `Linear did not create the issue "${input.title}"`, {
        hint: `check ${this.#path}.team and that the API key may create issues there`,
      });
    for (const blocker of input.dependsOn ?? []) await this.link(blocker, issue.identifier, 'blocks', opts);
    const task = toTask(issue, this.#settings.status_mapping);
    return { ...task, dependsOn: [...new Set([...task.dependsOn, ...(input.dependsOn ?? [])])] };
  }

  async updateStatus(id: string, status: TaskStatus, opts?: Opts): Promise<Task> {
    const data = await this.#request<{ issue: { id: string; identifier: string; team: TeamNode } | null }>(
      `read the workflow of ${id}`,
      ISSUE_TEAM_QUERY,
      { id },
      opts,
    ).catch((error: unknown) => {
      throw this.#notFound(error, id);
    });
    if (!data.issue) throw this.#notFound(undefined, id);
    const team = data.issue.team;
    const state = stateForStatus(team.states.nodes, status, this.#settings.status_mapping, {
      path: this.#path,
      team: team.key,
    });
    return toTask(
      await this.#update(data.issue.identifier, { stateId: state.id }, `move ${id} to ${state.name}`, opts),
      this.#settings.status_mapping,
    );
  }

  async addComment(id: string, body: string, opts?: Opts): Promise<TaskComment> {
    const data = await this.#request<{
      commentCreate: { success: boolean; comment: { id: string; url: string } | null };
    }>(`comment on ${id}`, COMMENT_CREATE, { input: { issueId: id, body } }, opts);
    const comment = data.commentCreate.comment;
    if (!comment) throw new AidevError('PROVIDER_ERROR', `Linear did not add the comment to ${id}`);
    return { id: comment.id, url: comment.url };
  }

  /** `a blocks b` is a Linear "blocks" relation; `a parent b` makes a a sub-issue of b; `relates` is "related". */
  async link(fromId: string, toId: string, kind: LinkKind, opts?: Opts): Promise<void> {
    if (kind === 'parent') {
      await this.#update(fromId, { parentId: toId }, `make ${fromId} a sub-issue of ${toId}`, opts);
      return;
    }
    await this.#request(
      `link ${fromId} ${kind} ${toId}`,
      RELATION_CREATE,
      { input: { issueId: fromId, relatedIssueId: toId, type: kind === 'blocks' ? 'blocks' : 'related' } },
      opts,
    );
  }

  async createProject(
    input: { name: string; description?: string | undefined },
    opts?: Opts,
  ): Promise<TrackerProject> {
    const team = await this.#teamNode(opts);
    const data = await this.#request<{ projectCreate: { success: boolean; project: ProjectNode | null } }>(
      `create project "${input.name}"`,
      PROJECT_CREATE,
      { input: { name: input.name, description: input.description, teamIds: [team.id] } },
      opts,
    );
    const project = data.projectCreate.project;
    if (!project) throw new AidevError('PROVIDER_ERROR', `Linear did not create the project "${input.name}"`);
    return { id: project.id, name: project.name, url: project.url };
  }

  async addToProject(taskIds: readonly string[], projectId: string, opts?: Opts): Promise<void> {
    for (const id of taskIds) await this.#update(id, { projectId }, `add ${id} to the project`, opts);
  }

  /** For `aidev doctor` (AuthChecker): who the key belongs to (Linear's `viewer`); a refused key is a status, not a throw. */
  async checkAuth(opts?: Opts): Promise<AuthStatus> {
    try {
      const data = await this.#request<{
        viewer: { name: string; email: string };
        organization: { urlKey: string };
      }>('read the API key’s user', VIEWER_QUERY, {}, opts);
      const identity = `${data.viewer.name} <${data.viewer.email}>`;
      return { ok: true, identity, detail: `${identity} in ${data.organization.urlKey}` };
    } catch (error) {
      if (!(error instanceof AidevError)) throw error;
      return { ok: false, identity: null, detail: error.message, hint: error.hint };
    }
  }

  // ---- internals ----

  async #request<T>(
    action: string,
    query: string,
    variables: Record<string, unknown>,
    opts: Opts,
  ): Promise<T> {
    try {
      return await withRateLimit(
        async () => {
          opts?.signal?.throwIfAborted();
          const response = await this.#client.client.rawRequest<T, Record<string, unknown>>(query, variables);
          if (!response.data) throw new Error('empty response');
          return response.data;
        },
        linearRetryAfter,
        undefined,
        opts?.signal,
      );
    } catch (error) {
      if (opts?.signal?.aborted) throw error;
      throw linearError(error, action, this.#path);
    }
  }

  async #update(id: string, input: Record<string, unknown>, action: string, opts: Opts): Promise<IssueNode> {
    const data = await this.#request<{ issueUpdate: { success: boolean; issue: IssueNode | null } }>(
      action,
      ISSUE_UPDATE,
      { id, input },
      opts,
    );
    if (!data.issueUpdate.issue) throw new AidevError('PROVIDER_ERROR', `Linear did not ${action}`);
    return data.issueUpdate.issue;
  }

  #notFound(error: unknown, id: string): AidevError {
    const linear = error === undefined ? undefined : linearError(error, `read issue ${id}`, this.#path);
    const type = linear?.details?.linearType;
    if (linear && type !== 'InvalidInput' && type !== 'Unknown' && type !== 'UserError') return linear;
    return new AidevError('TASK_NOT_FOUND', `Linear has no issue ${id}`, {
      hint: 'use the identifier Linear shows, e.g. ENG-123 (team key, dash, number)',
      cause: error,
    });
  }

  #teamNode(opts: Opts): Promise<TeamNode> {
    const team = this.#settings.team;
    if (!team)
      return Promise.reject(
        new AidevError('CONFIG_INVALID', `${this.#path}.team is not set`, {
          hint: `set ${this.#path}.team to the team key Linear shows in issue ids (ENG in ENG-123)`,
          details: { path: `${this.#path}.team` },
        }),
      );
    this.#team ??= this.#request<{ teams: { nodes: TeamNode[] } }>(
      `find team ${team}`,
      TEAMS_QUERY,
      { filter: teamFilter(team) },
      opts,
    ).then((data) => {
      const found = data.teams.nodes[0];
      if (!found)
        throw new AidevError('CONFIG_INVALID', `${this.#path}.team: Linear has no team "${team}"`, {
          hint: 'use the team key (ENG), its name or its id, as Linear → Settings → Teams shows',
          details: { path: `${this.#path}.team` },
        });
      return found;
    });
    this.#team.catch(() => (this.#team = undefined));
    return this.#team;
  }

  #projectNode(opts: Opts): Promise<ProjectNode> {
    const project = this.#settings.project!;
    this.#project ??= this.#request<{ projects: { nodes: ProjectNode[] } }>(
      `find project ${project}`,
      PROJECTS_QUERY,
      { filter: projectFilter(project) },
      opts,
    ).then((data) => {
      const found = data.projects.nodes[0];
      if (!found)
        throw new AidevError('CONFIG_INVALID', `${this.#path}.project: Linear has no project "${project}"`, {
          hint: `use the project's exact name or id, or remove ${this.#path}.project`,
          details: { path: `${this.#path}.project` },
        });
      return found;
    });
    this.#project.catch(() => (this.#project = undefined));
    return this.#project;
  }

  /** Label ids for names, creating the missing ones in the team when create_labels is on. */
  async #labelIds(team: TeamNode, names: readonly string[], opts: Opts): Promise<string[]> {
    const ids: string[] = [];
    for (const name of names) {
      const existing = team.labels.nodes.find((l) => l.name.toLowerCase() === name.toLowerCase());
      if (existing) {
        ids.push(existing.id);
        continue;
      }
      if (!this.#settings.create_labels)
        throw new AidevError('CONFIG_INVALID', `team ${team.key} has no label "${name}"`, {
          hint: `create it in Linear, or set ${this.#path}.create_labels: true`,
          details: { path: `${this.#path}.create_labels` },
        });
      const data = await this.#request<{
        issueLabelCreate: { issueLabel: { id: string; name: string } | null };
      }>(
        `create label "${name}" in team ${team.key}`,
        LABEL_CREATE,
        { input: { name, teamId: team.id } },
        opts,
      );
      const label = data.issueLabelCreate.issueLabel;
      if (!label) throw new AidevError('PROVIDER_ERROR', `Linear did not create the label "${name}"`);
      team.labels.nodes.push(label);
      ids.push(label.id);
    }
    return ids;
  }

  async #userId(who: string, opts: Opts): Promise<string> {
    const filter = who.includes('@')
      ? { email: { eqIgnoreCase: who } }
      : { displayName: { eqIgnoreCase: who } };
    const data = await this.#request<{ users: { nodes: { id: string }[] } }>(
      `find user ${who}`,
      USERS_QUERY,
      { filter },
      opts,
    );
    const user = data.users.nodes[0];
    if (!user)
      throw new AidevError('USAGE', `Linear has no user "${who}"`, {
        hint: 'give the assignee as their Linear email or display name',
      });
    return user.id;
  }
}
