// The static provider registry: one line per system. No dynamic plugin loading; each SDK loads inside its create().
import { anthropicProvider } from './ai/anthropic/index.js';
import { fakeAiProvider } from './ai/fake/index.js';
import { openaiProvider } from './ai/openai/index.js';
import { consoleChatProvider } from './chat/console/index.js';
import { localDocsProvider } from './docs/local/index.js';
import { localTasksProvider } from './tasks/local/index.js';
import { localVcsProvider } from './vcs/local/index.js';

export const providerDefinitions = [
  anthropicProvider,
  openaiProvider,
  fakeAiProvider,
  localTasksProvider,
  localVcsProvider,
  localDocsProvider,
  consoleChatProvider,
] as const;

export type ProviderEntry = (typeof providerDefinitions)[number];
