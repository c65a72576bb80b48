// Token estimates for when no count endpoint exists (Chat Completions, the fake model, a failed count call).
// chars/4 is the usual rule of thumb for English and code; the budget guard adds its own safety margin on top.
import type { AiContentBlock, AiMessage, AiRequest } from '../../../providers/types.js';

export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function blockText(block: AiContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'tool_use':
      return block.name + JSON.stringify(block.input ?? null);
    case 'tool_result':
      return block.content;
  }
}

export function messageText(message: AiMessage): string {
  return typeof message.content === 'string' ? message.content : message.content.map(blockText).join('\n');
}

/** Input tokens of a whole request: system, tool definitions and every message. */
export function estimateRequestTokens(request: Pick<AiRequest, 'system' | 'messages' | 'tools'>): number {
  let chars = request.system.length;
  for (const tool of request.tools ?? [])
    chars += tool.name.length + tool.description.length + JSON.stringify(tool.inputSchema).length;
  for (const message of request.messages) chars += messageText(message).length + 8;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Output tokens of a response's content, for servers that report no usage. */
export function estimateContentTokens(content: readonly AiContentBlock[]): number {
  return estimateTokens(content.map(blockText).join('\n'));
}
