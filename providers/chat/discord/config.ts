// Settings of the Discord notifier (an incoming webhook).
import { z } from 'zod';

export const discordChatConfigSchema = z
  .strictObject({
    webhook_url: z
      .string()
      .optional()
      .describe(
        'Webhook URL (a secret); default: the DISCORD_WEBHOOK_URL variable. Write it as ${NAME}, never inline',
      ),
    username: z
      .string()
      .min(1)
      .max(80)
      .optional()
      .describe('Name the messages show instead of the webhook’s own'),
  })
  .describe('Discord channel messages with an embed, through an incoming webhook');
export type DiscordChatConfig = z.infer<typeof discordChatConfigSchema>;
