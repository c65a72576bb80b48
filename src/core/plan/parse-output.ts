// Gets the plan candidate out of a model answer: the forced tool's input, or JSON in the text (fenced or bare).
// What cannot be read is described exactly (prose, truncated JSON, a syntax error), because that text goes back
// to the model in the repair turn.
import type { AiContentBlock, AiResponse } from '../../../providers/types.js';

type Read = { ok: true; value: unknown; raw: string } | { ok: false; problem: string; raw: string };

export type Extracted = Read & { toolUseId: string | undefined };

export function extractPlan(response: AiResponse, tool: string): Extracted {
  const cut = response.stopReason === 'max_tokens';
  const call = response.content.find(
    (b): b is Extract<AiContentBlock, { type: 'tool_use' }> => b.type === 'tool_use' && b.name === tool,
  );
  const text = response.content
    .filter((b): b is Extract<AiContentBlock, { type: 'text' }> => b.type === 'text')
    .map((b) => b.text)
    .join('');
  if (call) {
    const raw = JSON.stringify(call.input ?? null, null, 2);
    if (cut)
      return {
        ok: false,
        problem: 'the answer was cut off at the output token limit (max_tokens), so the plan is incomplete',
        raw,
        toolUseId: call.id,
      };
    return { ok: true, value: call.input, raw, toolUseId: call.id };
  }
  const other = response.content.find((b) => b.type === 'tool_use');
  return {
    ...fromText(text, cut, other ? `called the tool "${other.name}" instead of ${tool}` : undefined),
    toolUseId: undefined,
  };
}

function fromText(text: string, cut: boolean, note: string | undefined): Read {
  const raw = text;
  const body = unfence(text);
  const start = body.indexOf('{');
  if (start < 0) {
    const opening = text.trim().replace(/\s+/g, ' ').slice(0, 80);
    return {
      ok: false,
      problem: note
        ? `the answer ${note}`
        : text.trim()
          ? `the answer is prose, not a JSON plan (it begins "${opening}${text.trim().length > 80 ? '…' : ''}")`
          : 'the answer is empty',
      raw,
    };
  }
  const json = body.slice(start, body.lastIndexOf('}') + 1 || undefined);
  try {
    return { ok: true, value: JSON.parse(json), raw };
  } catch (error) {
    if (cut || isTruncated(body.slice(start))) {
      return {
        ok: false,
        problem: `the JSON is truncated: it stops after ${body.length - start} characters with objects still open${cut ? ' (the answer hit max_tokens)' : ''}`,
        raw,
      };
    }
    return { ok: false, problem: `the JSON does not parse: ${(error as Error).message}`, raw };
  }
}

/** ```json … ``` around the answer is common; the fence content is what counts. */
function unfence(text: string): string {
  const fenced = /```(?:json|JSON)?\s*\n([\s\S]*?)(?:```|$)/.exec(text);
  return fenced ? fenced[1]! : text;
}

/** Objects or arrays still open (or a string still open) at the end of the text. */
export function isTruncated(json: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return inString || depth > 0;
}
