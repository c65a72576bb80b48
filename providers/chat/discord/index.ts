// Registry entry of the Discord notifier (plain fetch, no SDK).
import { defineProvider } from '../../types.js';
import { discordChatConfigSchema } from './config.js';

export const discordChatProvider = defineProvider({
  category: 'chat',
  id: 'discord',
  description: 'Discord channel messages through an incoming webhook',
  configSchema: discordChatConfigSchema,
  credentials: [{ key: 'webhook_url', env: ['DISCORD_WEBHOOK_URL'] }],
  async create(ctx) {
    const { DiscordChat } = await import('./discord-chat.js');
    return DiscordChat.connect(ctx);
  },
});
