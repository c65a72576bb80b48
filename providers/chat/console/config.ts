// Settings of the console notifier.
import { z } from 'zod';

export const consoleChatConfigSchema = z.strictObject({}).describe('Writes notifications to stderr');
export type ConsoleChatConfig = z.infer<typeof consoleChatConfigSchema>;
