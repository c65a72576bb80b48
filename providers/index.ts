// The static provider registry: one line per system. No dynamic plugin loading; each SDK loads inside its create().
import { anthropicProvider } from './ai/anthropic/index.js';
import { fakeAiProvider } from './ai/fake/index.js';
import { openaiProvider } from './ai/openai/index.js';
import { consoleChatProvider } from './chat/console/index.js';
import { discordChatProvider } from './chat/discord/index.js';
import { slackChatProvider } from './chat/slack/index.js';
import { teamsChatProvider } from './chat/teams/index.js';
import { confluenceDocsProvider } from './docs/confluence/index.js';
import { gitbookDocsProvider } from './docs/gitbook/index.js';
import { localDocsProvider } from './docs/local/index.js';
import { notionDocsProvider } from './docs/notion/index.js';
import { asanaTasksProvider } from './tasks/asana/index.js';
import { githubTasksProvider } from './tasks/github/index.js';
import { jiraTasksProvider } from './tasks/jira/index.js';
import { linearTasksProvider } from './tasks/linear/index.js';
import { localTasksProvider } from './tasks/local/index.js';
import { bitbucketVcsProvider } from './vcs/bitbucket/index.js';
import { githubVcsProvider } from './vcs/github/index.js';
import { gitlabVcsProvider } from './vcs/gitlab/index.js';
import { localVcsProvider } from './vcs/local/index.js';

export const providerDefinitions = [
  anthropicProvider,
  openaiProvider,
  fakeAiProvider,
  localTasksProvider,
  linearTasksProvider,
  jiraTasksProvider,
  githubTasksProvider,
  asanaTasksProvider,
  localVcsProvider,
  githubVcsProvider,
  gitlabVcsProvider,
  bitbucketVcsProvider,
  localDocsProvider,
  confluenceDocsProvider,
  notionDocsProvider,
  gitbookDocsProvider,
  consoleChatProvider,
  slackChatProvider,
  discordChatProvider,
  teamsChatProvider,
] as const;

export type ProviderEntry = (typeof providerDefinitions)[number];
