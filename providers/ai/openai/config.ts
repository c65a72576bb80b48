// Settings of the OpenAI provider (Chat Completions), also used for any OpenAI-compatible server.
import { z } from 'zod';

export const openaiConfigSchema = z
  .strictObject({
    api_key: z
      .string()
      .optional()
      .describe('API key; default: OPENAI_API_KEY. Local servers (Ollama, vLLM) need none'),
    base_url: z
      .string()
      .url()
      .optional()
      .describe(
        'Chat Completions endpoint (SDK baseURL), e.g. http://127.0.0.1:11434/v1 for Ollama; default: OPENAI_BASE_URL',
      ),
    model: z.string().optional().describe('Model id; overrides ai.model'),
    max_tokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Output token limit per call; overrides ai.max_tokens'),
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature'),
    max_retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(4)
      .describe('Retries on 429/5xx, honouring retry-after'),
  })
  .describe('OpenAI models, or any OpenAI-compatible server through base_url');
export type OpenaiConfig = z.infer<typeof openaiConfigSchema>;
