// Settings of the scripted fake model: replays responses from a JSONL file (no key, no network).
import { z } from 'zod';

export const fakeAiConfigSchema = z
  .strictObject({
    responses: z
      .string()
      .optional()
      .describe('JSONL file of scripted responses, relative to the repository root (or --fake-responses)'),
    model: z.string().default('fake-model').describe('Model name recorded in the ledger'),
  })
  .describe('Replays scripted responses: for demos and tests');
export type FakeAiConfig = z.infer<typeof fakeAiConfigSchema>;
