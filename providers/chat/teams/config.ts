// Settings of the Microsoft Teams notifier (a Workflows webhook).
import { z } from 'zod';

export const teamsChatConfigSchema = z
  .strictObject({
    webhook_url: z
      .string()
      .optional()
      .describe(
        'Workflows webhook URL (a secret); default: the TEAMS_WEBHOOK_URL variable. Write it as ${NAME}, never inline',
      ),
  })
  .describe('Microsoft Teams channel messages as an Adaptive Card, through a Workflows webhook');
export type TeamsChatConfig = z.infer<typeof teamsChatConfigSchema>;
