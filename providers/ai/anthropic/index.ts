// Registry entry of the Anthropic provider; the SDK loads inside create().
import { defineProvider } from '../../types.js';
import { anthropicConfigSchema } from './config.js';

export const anthropicProvider = defineProvider({
  category: 'ai',
  id: 'anthropic',
  description: 'Anthropic Messages API (@anthropic-ai/sdk)',
  configSchema: anthropicConfigSchema,
  credentials: [{ key: 'api_key', env: ['ANTHROPIC_API_KEY'] }],
  async create(ctx) {
    const { AnthropicAi } = await import('./anthropic-ai.js');
    return new AnthropicAi(ctx);
  },
});
