// Registry entry of the OpenAI / OpenAI-compatible provider; the SDK loads inside create().
import { defineProvider } from '../../types.js';
import { openaiConfigSchema } from './config.js';

export const openaiProvider = defineProvider({
  category: 'ai',
  id: 'openai',
  description: 'OpenAI Chat Completions, or any compatible server (Ollama, vLLM, llama.cpp)',
  configSchema: openaiConfigSchema,
  credentials: [{ key: 'api_key', env: ['OPENAI_API_KEY'], optional: true }],
  async create(ctx) {
    const { OpenaiAi } = await import('./openai-ai.js');
    return new OpenaiAi(ctx);
  },
});
