// Settings of the Anthropic provider (Messages API).
import { z } from 'zod';

export const anthropicConfigSchema = z
  .strictObject({
    api_key: z
      .string()
      .optional()
      .describe('API key; default: the ANTHROPIC_API_KEY variable. Write it as ${NAME}, never inline'),
    base_url: z
      .string()
      .url()
      .optional()
      .describe('Messages API endpoint (SDK baseURL); default: ANTHROPIC_BASE_URL or the public API'),
    model: z.string().optional().describe('Model id; overrides ai.model'),
    max_tokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Output token limit per call; overrides ai.max_tokens'),
    temperature: z.number().min(0).max(1).optional().describe('Sampling temperature'),
    max_retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(4)
      .describe('Retries on 429/529/5xx, honouring retry-after'),
  })
  .describe('Anthropic Claude models');
export type AnthropicConfig = z.infer<typeof anthropicConfigSchema>;
