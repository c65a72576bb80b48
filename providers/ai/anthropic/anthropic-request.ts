// Maps aidev's AiRequest to Messages API params and back. The cache breakpoints live here: system prompt, last tool,
// and the last block of the conversation, so turn N+1 reads what turn N wrote. Key order keeps the growing part
// (messages) and the per-call part (max_tokens, which the budget guard may shrink) at the end of the JSON body.
import type {
  ContentBlockParam,
  Message,
  MessageCountTokensParams,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import type { AiContentBlock, AiMessage, AiRequest, AiResponse, AiTool } from '../../types.js';

const EPHEMERAL = { type: 'ephemeral' } as const;
/** The API looks back about 20 blocks from a breakpoint for an earlier cache entry. */
const CACHE_LOOKBACK_BLOCKS = 18;

export interface AnthropicParams {
  model: string;
  system?: TextBlockParam[];
  tools?: Tool[];
  tool_choice?: ToolChoice;
  messages: MessageParam[];
  max_tokens: number;
  temperature?: number;
}

function toBlock(block: AiContentBlock): ContentBlockParam {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.toolUseId,
        content: block.content,
        ...(block.isError ? { is_error: true } : {}),
      };
  }
}

// Always the array form: a breakpoint can then sit on any message without changing how earlier turns serialise.
function toMessage(message: AiMessage): MessageParam {
  const blocks =
    typeof message.content === 'string'
      ? [{ type: 'text' as const, text: message.content }]
      : message.content.map(toBlock);
  const content = blocks.filter((b) => b.type !== 'text' || b.text !== '');
  return { role: message.role, content: content.length ? content : [{ type: 'text', text: '(empty)' }] };
}

function toTool(tool: AiTool): Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema as Tool['input_schema'],
  };
}

function markLastBlock(message: MessageParam | undefined): void {
  if (!message || typeof message.content === 'string') return;
  const last = message.content[message.content.length - 1];
  if (last && 'type' in last) (last as { cache_control?: typeof EPHEMERAL }).cache_control = EPHEMERAL;
}

function placeMessageBreakpoints(messages: MessageParam[]): void {
  markLastBlock(messages[messages.length - 1]);
  // A turn with many parallel tool calls can push the previous breakpoint out of the lookback window: mark it too.
  let blocks = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (i < messages.length - 1 && message.role === 'user') {
      if (blocks > CACHE_LOOKBACK_BLOCKS) markLastBlock(message);
      return;
    }
    blocks += typeof message.content === 'string' ? 1 : message.content.length;
  }
}

export function toAnthropicParams(request: AiRequest, model: string, maxTokens: number): AnthropicParams {
  const cache = request.cache !== false;
  const tools = request.tools?.length ? request.tools.map(toTool) : undefined;
  if (tools && cache) tools[tools.length - 1]!.cache_control = EPHEMERAL;
  const messages = request.messages.map(toMessage);
  if (cache) placeMessageBreakpoints(messages);
  const choice = request.toolChoice;
  // Literal key order = JSON order: the stable prefix first, the growing messages next, per-call settings last.
  return {
    model,
    ...(request.system
      ? { system: [{ type: 'text', text: request.system, ...(cache ? { cache_control: EPHEMERAL } : {}) }] }
      : {}),
    ...(tools ? { tools } : {}),
    ...(choice
      ? { tool_choice: choice.type === 'tool' ? { type: 'tool', name: choice.name } : { type: 'auto' } }
      : {}),
    messages,
    max_tokens: maxTokens,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}

export function toCountParams(params: AnthropicParams): MessageCountTokensParams {
  const { model, system, tools, tool_choice, messages } = params;
  return {
    model,
    messages,
    ...(system ? { system } : {}),
    ...(tools ? { tools } : {}),
    ...(tool_choice ? { tool_choice } : {}),
  };
}

function stopReason(reason: Message['stop_reason']): AiResponse['stopReason'] {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'refusal':
      return reason;
    default:
      return 'other';
  }
}

export function fromAnthropicMessage(message: Message): AiResponse {
  const content: AiContentBlock[] = [];
  for (const block of message.content) {
    if (block.type === 'text') content.push({ type: 'text', text: block.text });
    else if (block.type === 'tool_use')
      content.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
  }
  const usage = message.usage;
  return {
    model: message.model,
    content,
    stopReason: stopReason(message.stop_reason),
    usage: {
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens ?? 0,
      cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    },
  };
}
