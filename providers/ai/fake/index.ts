// Registry entry of the scripted fake model.
import { defineProvider } from '../../types.js';
import { fakeAiConfigSchema } from './config.js';

export const fakeAiProvider = defineProvider({
  category: 'ai',
  id: 'fake',
  description: 'Replays scripted responses from a JSONL file (demos, tests)',
  configSchema: fakeAiConfigSchema,
  credentials: [],
  async create(ctx) {
    const { FakeAi } = await import('./fake-ai.js');
    return new FakeAi(ctx);
  },
});
