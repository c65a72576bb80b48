// Settings of the Slack notifier (a bot token and one channel).
import { z } from 'zod';

export const slackChatConfigSchema = z
  .strictObject({
    token: z
      .string()
      .optional()
      .describe(
        'Bot token (xoxb-…); default: the SLACK_BOT_TOKEN variable. Write it as ${NAME}, never inline',
      ),
    channel: z
      .string()
      .min(1)
      .optional()
      .describe('Channel id (C0123ABCD) or name (#dev-ai) the bot posts to; the bot must be a member'),
    base_url: z
      .string()
      .url()
      .optional()
      .describe('Web API base (the SDK slackApiUrl); default: https://slack.com/api/'),
  })
  .describe('Slack messages with Block Kit; one thread per run');
export type SlackChatConfig = z.infer<typeof slackChatConfigSchema>;
