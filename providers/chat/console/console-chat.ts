// The console notifier: a short block on stderr, through the session's logger, so that under a live view (several runs
// on a TTY) the line becomes an event instead of tearing the view. Keeps stdout clean for --json.
import type { ChatMessage, ChatProvider, ProviderContext } from '../../types.js';
import type { ConsoleChatConfig } from './config.js';

const ICON = { info: 'ℹ', success: '✔', warning: '⚠', error: '✖', urgent: '🚨' } as const;

export class ConsoleChat implements ChatProvider {
  readonly id = 'console';
  readonly #write: (text: string) => void;
  #count = 0;

  constructor(
    ctx: ProviderContext<ConsoleChatConfig>,
    write: (text: string) => void = (t) => ctx.logger.info(t.replace(/\n$/, '')),
  ) {
    this.#write = write;
  }

  async notify(message: ChatMessage): Promise<{ id: string | null; threadId: string | null }> {
    const lines = [`${ICON[message.level ?? 'info']} ${message.text}`];
    for (const [key, value] of Object.entries(message.fields ?? {})) lines.push(`  ${key}: ${value}`);
    if (message.link) lines.push(`  ${message.link.label ?? 'link'}: ${message.link.url}`);
    this.#write(lines.join('\n') + '\n');
    this.#count++;
    const id = `console-${this.#count}`;
    return { id, threadId: message.threadId ?? id };
  }
}
