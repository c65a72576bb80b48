// Registry entry of the Slack notifier; @slack/web-api loads inside create().
import { defineProvider } from '../../types.js';
import { slackChatConfigSchema } from './config.js';

export const slackChatProvider = defineProvider({
  category: 'chat',
  id: 'slack',
  description: 'Slack channel messages, threaded per run (@slack/web-api)',
  configSchema: slackChatConfigSchema,
  credentials: [{ key: 'token', env: ['SLACK_BOT_TOKEN'] }],
  async create(ctx) {
    const { SlackChat } = await import('./slack-chat.js');
    return SlackChat.connect(ctx);
  },
});
