// Registry entry of the Bitbucket Cloud code host. It speaks REST 2.0 with the platform's fetch (the `bitbucket`
// npm client is unmaintained since 2024 and pins node-fetch 2), loaded inside create() all the same.
import { AidevError } from '../../../src/core/errors.js';
import { defineProvider } from '../../types.js';
import { bitbucketVcsConfigSchema } from './config.js';

export const BITBUCKET_ENV = {
  token: ['BITBUCKET_TOKEN'],
  username: ['BITBUCKET_USERNAME'],
  app_password: ['BITBUCKET_APP_PASSWORD'],
} as const;

export const bitbucketVcsProvider = defineProvider({
  category: 'vcs',
  id: 'bitbucket',
  description: 'Bitbucket Cloud pull requests (REST 2.0)',
  configSchema: bitbucketVcsConfigSchema,
  credentials: [
    { key: 'token', env: BITBUCKET_ENV.token, optional: true },
    { key: 'username', env: BITBUCKET_ENV.username, optional: true },
    { key: 'app_password', env: BITBUCKET_ENV.app_password, optional: true },
  ],
  credentialSets: [['token'], ['username', 'app_password']],
  async create(ctx) {
    const token = ctx.optionalCredential('token', BITBUCKET_ENV.token);
    const username = ctx.optionalCredential('username', BITBUCKET_ENV.username);
    const appPassword = ctx.optionalCredential('app_password', BITBUCKET_ENV.app_password);
    if (!token && !(username && appPassword)) {
      throw new AidevError('ENV_MISSING', `${ctx.path}: no Bitbucket credentials`, {
        hint: `set BITBUCKET_TOKEN (an access token), or BITBUCKET_USERNAME and BITBUCKET_APP_PASSWORD (or ${ctx.path}.token / .username + .app_password as \${NAME})`,
      });
    }
    const { BitbucketVcs } = await import('./bitbucket-vcs.js');
    return new BitbucketVcs(ctx, token ? { token } : { username: username!, appPassword: appPassword! });
  },
});
