// Registry entry of the Jira tracker. jira.js loads inside create(), never at startup.
import { AidevError } from '../../../src/core/errors.js';
import { defineProvider } from '../../types.js';
import { jiraConfigSchema } from './config.js';

export const JIRA_ENV = { email: ['JIRA_EMAIL'], api_token: ['JIRA_API_TOKEN'], pat: ['JIRA_PAT'] } as const;

export const jiraTasksProvider = defineProvider({
  category: 'tasks',
  id: 'jira',
  description: 'Jira Cloud (email + API token) or Data Center (personal access token), via jira.js',
  configSchema: jiraConfigSchema,
  // Either pair works, so none is required on its own; create() says what is missing.
  credentials: [
    { key: 'email', env: JIRA_ENV.email, optional: true },
    { key: 'api_token', env: JIRA_ENV.api_token, optional: true },
    { key: 'pat', env: JIRA_ENV.pat, optional: true },
  ],
  credentialSets: [['email', 'api_token'], ['pat']],
  async create(ctx) {
    const site = ctx.settings.url ?? ctx.settings.base_url;
    if (!site)
      throw new AidevError('CONFIG_INVALID', `${ctx.path}.url is not set`, {
        hint: `set ${ctx.path}.url to your Jira site, e.g. https://acme.atlassian.net`,
      });
    if (ctx.settings.url && ctx.settings.base_url && ctx.settings.url !== ctx.settings.base_url)
      throw new AidevError('CONFIG_INVALID', `${ctx.path}.url and ${ctx.path}.base_url differ`, {
        hint: 'they are synonyms: keep one',
      });
    const pat = ctx.optionalCredential('pat', JIRA_ENV.pat);
    const email = ctx.optionalCredential('email', JIRA_ENV.email);
    const apiToken = ctx.optionalCredential('api_token', JIRA_ENV.api_token);
    const deployment = ctx.settings.deployment ?? (pat && !(email && apiToken) ? 'data_center' : 'cloud');
    let auth: { type: 'basic'; email: string; apiToken: string } | { type: 'bearer'; token: string };
    if (email && apiToken && deployment === 'cloud') auth = { type: 'basic', email, apiToken };
    else if (pat) auth = { type: 'bearer', token: pat };
    else
      throw new AidevError(
        'ENV_MISSING',
        deployment === 'data_center'
          ? `${ctx.path} (Data Center) needs a personal access token: set JIRA_PAT`
          : `${ctx.path} needs credentials: JIRA_EMAIL and JIRA_API_TOKEN (Cloud), or JIRA_PAT (Data Center)`,
        {
          hint:
            deployment === 'data_center'
              ? `create one in Jira (profile → Personal Access Tokens), then export JIRA_PAT=… or set ${ctx.path}.pat: \${YOUR_VARIABLE}`
              : 'create an API token at https://id.atlassian.com/manage-profile/security/api-tokens, then export JIRA_EMAIL and JIRA_API_TOKEN',
          details: { path: ctx.path, variables: [...JIRA_ENV.email, ...JIRA_ENV.api_token, ...JIRA_ENV.pat] },
        },
      );
    const { JiraTasks } = await import('./jira-tasks.js');
    return JiraTasks.connect(ctx, { site, deployment, auth });
  },
});
