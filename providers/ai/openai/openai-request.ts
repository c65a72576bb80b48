// Maps aidev's AiRequest to Chat Completions params, and a streamed response back. Tool results become `tool`
// messages right after the assistant's tool_calls, as the API requires. Key order puts the stable prefix (model,
// tools, earlier messages) first so OpenAI's automatic prefix cache and byte-level comparisons both see it unchanged.
import type {
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { estimateContentTokens } from '../../../src/core/ai/tokens.js';
import type {
  AiContentBlock,
  AiMessage,
  AiRequest,
  AiResponse,
  AiStreamEvent,
  AiUsage,
} from '../../types.js';

export interface OpenaiParams {
  model: string;
  tools?: ChatCompletionFunctionTool[];
  tool_choice?: ChatCompletionToolChoiceOption;
  messages: ChatCompletionMessageParam[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  stream: true;
  stream_options: { include_usage: true };
}

function toMessages(message: AiMessage): ChatCompletionMessageParam[] {
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }];
  const text = message.content
    .filter((b): b is Extract<AiContentBlock, { type: 'text' }> => b.type === 'text')
    .map((b) => b.text)
    .join('\n\n');
  if (message.role === 'assistant') {
    const calls = message.content.filter(
      (b): b is Extract<AiContentBlock, { type: 'tool_use' }> => b.type === 'tool_use',
    );
    return [
      {
        role: 'assistant',
        content: text || null,
        ...(calls.length
          ? {
              tool_calls: calls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: {
                  name: c.name,
                  arguments: typeof c.input === 'string' ? c.input : JSON.stringify(c.input ?? {}),
                },
              })),
            }
          : {}),
      },
    ];
  }
  const out: ChatCompletionMessageParam[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result') {
      const content =
        block.isError && !block.content.startsWith('ERROR') ? `ERROR: ${block.content}` : block.content;
      out.push({ role: 'tool', tool_call_id: block.toolUseId, content });
    }
  }
  if (text) out.push({ role: 'user', content: text });
  return out;
}

export function toOpenaiParams(
  request: AiRequest,
  model: string,
  maxTokens: number,
  options: { completionTokensParam: boolean },
): OpenaiParams {
  const tools: ChatCompletionFunctionTool[] | undefined = request.tools?.length
    ? request.tools.map((t) => ({
        type: 'function',
        function: { name: t.name, description: t.description, parameters: t.inputSchema },
      }))
    : undefined;
  const choice = request.toolChoice;
  const messages: ChatCompletionMessageParam[] = [
    ...(request.system ? [{ role: 'system' as const, content: request.system }] : []),
    ...request.messages.flatMap(toMessages),
  ];
  return {
    model,
    ...(tools ? { tools } : {}),
    ...(choice
      ? {
          tool_choice:
            choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : 'auto',
        }
      : {}),
    messages,
    // api.openai.com's newer models refuse max_tokens; most compatible servers (Ollama, llama.cpp) know only max_tokens.
    ...(options.completionTokensParam ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens }),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    stream: true,
    stream_options: { include_usage: true },
  };
}

function stopReason(reason: string | null | undefined): AiResponse['stopReason'] {
  switch (reason) {
    case 'stop':
      return 'end_turn';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    default:
      return 'other';
  }
}

function parseArguments(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // Local models sometimes emit broken JSON; pass the text on so the tool layer can tell the model what went wrong.
    return raw;
  }
}

/** Folds a chunk stream into one response; `estimateInput` fills in for servers that send no usage chunk. */
export async function collectStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  fallbackModel: string,
  estimateInput: () => number,
  onEvent: (event: AiStreamEvent) => void,
): Promise<AiResponse> {
  let text = '';
  let model = fallbackModel;
  let finish: string | null | undefined;
  let usage: ChatCompletionChunk['usage'];
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for await (const chunk of chunks) {
    if (chunk.model) model = chunk.model;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.content) {
      text += choice.delta.content;
      onEvent({ type: 'text', text: choice.delta.content });
    }
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = calls.get(delta.index) ?? { id: '', name: '', args: '' };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += delta.function.name;
      if (delta.function?.arguments) call.args += delta.function.arguments;
      calls.set(delta.index, call);
    }
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  const content: AiContentBlock[] = text ? [{ type: 'text', text }] : [];
  for (const [index, call] of [...calls.entries()].sort((a, b) => a[0] - b[0])) {
    const id = call.id || `call_${index}`;
    content.push({ type: 'tool_use', id, name: call.name, input: parseArguments(call.args) });
    onEvent({ type: 'tool_use', name: call.name, id });
  }
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const mapped: AiUsage = usage
    ? {
        inputTokens: Math.max(0, usage.prompt_tokens - cached),
        outputTokens: usage.completion_tokens,
        cacheReadTokens: cached,
        cacheWriteTokens: 0,
      }
    : {
        inputTokens: estimateInput(),
        outputTokens: estimateContentTokens(content),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      };
  return { model, content, stopReason: stopReason(finish), usage: mapped };
}
