// Registry entry of the Microsoft Teams notifier (plain fetch, no SDK).
import { defineProvider } from '../../types.js';
import { teamsChatConfigSchema } from './config.js';

export const teamsChatProvider = defineProvider({
  category: 'chat',
  id: 'teams',
  description: 'Microsoft Teams channel messages (Adaptive Card through a Workflows webhook)',
  configSchema: teamsChatConfigSchema,
  credentials: [{ key: 'webhook_url', env: ['TEAMS_WEBHOOK_URL'] }],
  async create(ctx) {
    const { TeamsChat } = await import('./teams-chat.js');
    return TeamsChat.connect(ctx);
  },
});
