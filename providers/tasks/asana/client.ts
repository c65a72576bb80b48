// The `asana` SDK behind a small typed interface: the SDK types every body and answer as `any`, so the shapes the
// provider relies on are named here once (the contract tests check them against @types/asana's resources). Lists are
// followed page by page through the SDK's Collection, bounded.
import type { ApiClient as AsanaApiClient } from 'asana';

export const ASANA_API = 'https://app.asana.com/api/1.0';

export interface Ref {
  gid: string;
  name?: string;
  resource_type?: string;
}

export interface AsanaTask extends Ref {
  notes?: string;
  completed?: boolean;
  resource_subtype?: string;
  assignee?: (Ref & { email?: string }) | null;
  tags?: Ref[];
  parent?: Ref | null;
  dependencies?: Ref[];
  permalink_url?: string;
  memberships?: { project?: Ref; section?: Ref | null }[];
}

export interface TaskFields {
  name?: string;
  notes?: string;
  completed?: boolean;
  assignee?: string;
  projects?: string[];
  memberships?: { project: string; section: string }[];
  tags?: string[];
  workspace?: string;
}

/** What tasks.asana needs from Asana, one method per API call. */
export interface AsanaApi {
  me(): Promise<Ref & { email?: string }>;
  project(gid: string): Promise<Ref & { workspace?: Ref }>;
  sections(project: string): Promise<Ref[]>;
  addToSection(section: string, task: string): Promise<void>;
  task(gid: string, fields: string[]): Promise<AsanaTask>;
  /** Tasks of a project, across pages (at most `maxPages` of 100). */
  tasks(
    query: { project: string; completed_since?: string },
    fields: string[],
    maxPages: number,
  ): Promise<AsanaTask[]>;
  createTask(data: TaskFields, fields: string[]): Promise<AsanaTask>;
  createSubtask(parent: string, data: TaskFields, fields: string[]): Promise<AsanaTask>;
  updateTask(gid: string, data: TaskFields, fields: string[]): Promise<AsanaTask>;
  addDependencies(task: string, dependencies: string[]): Promise<void>;
  addTag(task: string, tag: string): Promise<void>;
  comment(task: string, text: string): Promise<Ref>;
  tags(workspace: string): Promise<Ref[]>;
  createTag(workspace: string, name: string): Promise<Ref>;
}

interface Collection<T> {
  /** null on the object nextPage() gives after the last page. */
  data: T[] | null;
  nextPage(): Promise<Collection<T>>;
}
type Data<T> = { data: T };

export async function createAsanaClient(options: {
  token: string;
  basePath?: string | undefined;
}): Promise<AsanaApi> {
  const asana = await import('asana');
  const client: AsanaApiClient = new asana.ApiClient();
  client.basePath = (options.basePath ?? ASANA_API).replace(/\/+$/, '');
  // The SDK reads the `token` entry for every call (its generated code names it personalAccessToken).
  client.authentications.token = { type: 'personalAccessToken', accessToken: options.token };
  const users = new asana.UsersApi(client);
  const projects = new asana.ProjectsApi(client);
  const sectionsApi = new asana.SectionsApi(client);
  const tasksApi = new asana.TasksApi(client);
  const stories = new asana.StoriesApi(client);
  const tagsApi = new asana.TagsApi(client);
  const opt = (fields: string[]) => ({ opt_fields: fields.join(',') });
  const all = async <T>(first: Promise<unknown>, maxPages: number): Promise<T[]> => {
    let page = (await first) as Collection<T>;
    const out: T[] = [];
    for (let n = 0; page.data && n < maxPages; n++) {
      out.push(...page.data);
      if (n + 1 < maxPages) page = await page.nextPage();
    }
    return out;
  };
  const data = async <T>(call: Promise<unknown>): Promise<T> => ((await call) as Data<T>).data;
  return {
    me: () => data(users.getUser('me', opt(['name', 'email']))),
    project: (gid) => data(projects.getProject(gid, opt(['name', 'workspace']))),
    sections: (project) =>
      all<Ref>(sectionsApi.getSectionsForProject(project, { limit: 100, ...opt(['name']) }), 5),
    addToSection: async (section, task) => {
      // SectionsApi.addTaskForSection also copies its options, body included, into the query string (asana 3.2.0;
      // the contract fake flags `?body=`), so the call goes through the SDK's own ApiClient with the body alone.
      const json = ['application/json; charset=UTF-8'];
      await client.callApi(
        '/sections/{section_gid}/addTask',
        'POST',
        { section_gid: section },
        {},
        {},
        {},
        { data: { task } },
        ['personalAccessToken'],
        json,
        json,
        'Blob',
      );
    },
    task: (gid, fields) => data(tasksApi.getTask(gid, opt(fields))),
    tasks: (query, fields, maxPages) =>
      all<AsanaTask>(tasksApi.getTasks({ ...query, limit: 100, ...opt(fields) }), maxPages),
    createTask: (task, fields) => data(tasksApi.createTask({ data: task }, opt(fields))),
    createSubtask: (parent, task, fields) =>
      data(tasksApi.createSubtaskForTask({ data: task }, parent, opt(fields))),
    updateTask: (gid, task, fields) => data(tasksApi.updateTask({ data: task }, gid, opt(fields))),
    addDependencies: async (task, dependencies) => {
      await tasksApi.addDependenciesForTask({ data: { dependencies } }, task);
    },
    addTag: async (task, tag) => {
      await tasksApi.addTagForTask({ data: { tag } }, task);
    },
    comment: (task, text) => data(stories.createStoryForTask({ data: { text } }, task, opt(['text']))),
    tags: (workspace) =>
      all<Ref>(tagsApi.getTagsForWorkspace(workspace, { limit: 100, ...opt(['name']) }), 10),
    createTag: (workspace, name) =>
      data(tagsApi.createTagForWorkspace({ data: { name } }, workspace, opt(['name']))),
  };
}
