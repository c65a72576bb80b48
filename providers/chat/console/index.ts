// Registry entry of the console notifier.
import { defineProvider } from '../../types.js';
import { consoleChatConfigSchema } from './config.js';

export const consoleChatProvider = defineProvider({
  category: 'chat',
  id: 'console',
  description: 'Notifications on stderr',
  configSchema: consoleChatConfigSchema,
  credentials: [],
  async create(ctx) {
    const { ConsoleChat } = await import('./console-chat.js');
    return new ConsoleChat(ctx);
  },
});
