// tasks.set_fields: fills the tracker's custom fields named in config (`tasks.<provider>.custom_fields`, e.g.
// pr_url → customfield_10050) once a run has opened its pull request. Standard names without a mapping are skipped,
// and trackers without custom fields (setFields absent) skip the step with a note, so the step is safe everywhere.
import { z } from 'zod';
import type { ProviderAction } from '../types.js';
import { signalOf, taskIdOf } from './shared.js';

export const taskFieldsActions: ProviderAction[] = [
  {
    name: 'tasks.set_fields',
    description:
      'Writes standard fields (pr_url, repo_url, …) into the custom fields mapped in tasks.<provider>.custom_fields',
    input: z.strictObject({
      id: z.string().min(1).optional().describe('task id (default: the run’s task)'),
      task_id: z.string().min(1).optional().describe('same as id (specification form)'),
      fields: z.record(z.string(), z.string()).describe('standard name → value, e.g. {pr_url: …}'),
    }),
    outputs: ['written', 'skipped'],
    async run(input, ctx) {
      const fields = { ...(input as { fields: Record<string, string> }).fields };
      const tasks = await ctx.providers.get('tasks');
      const providerId = ctx.providers.idOf('tasks');
      const block = (ctx.config.tasks as Record<string, unknown>)[providerId] as
        { custom_fields?: Record<string, string> } | undefined;
      const mapping = block?.custom_fields ?? {};
      if (mapping.repo_url && !fields.repo_url) {
        // The repository link comes from the code host when the workflow does not pass it.
        const repo = await (await ctx.providers.get('vcs')).repoInfo(signalOf(ctx));
        const link = repo.webUrl ?? repo.remoteUrl;
        if (link) fields.repo_url = link;
      }
      const mapped: Record<string, string> = {};
      const skipped: string[] = [];
      for (const [name, value] of Object.entries(fields)) {
        const target = mapping[name];
        if (target && value) mapped[target] = value;
        else skipped.push(name);
      }
      if (!Object.keys(mapped).length || !tasks.setFields) {
        if (Object.keys(mapped).length)
          ctx.progress(
            `the ${providerId} tracker has no custom fields; skipped ${Object.keys(fields).join(', ')}`,
          );
        return { written: {}, skipped: Object.keys(fields) };
      }
      const id = taskIdOf(input, ctx);
      const setFields = tasks.setFields.bind(tasks);
      await ctx.effect('fields', 'tasks.set_fields', async () => {
        await setFields(id, mapped, signalOf(ctx));
        return { externalId: `${id}:${Object.keys(mapped).join(',')}`, result: mapped };
      });
      return { written: mapped, skipped };
    },
  },
];
