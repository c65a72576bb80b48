// Removes secrets from everything sent to a model and from verbose logs: the values of credential-looking environment
// variables, well-known key formats, and the user's own `security.redact_patterns`. Deterministic, so a redacted
// prompt prefix stays byte-identical from turn to turn (and keeps hitting the prompt cache).
import type { AiContentBlock, AiMessage, AiRequest } from '../../../providers/types.js';
import { AidevError } from '../errors.js';

export interface Redactor {
  redact(text: string): string;
  /** A copy of the request with every string a model would read redacted (system, messages, tool inputs and results). */
  redactRequest(request: AiRequest): AiRequest;
}

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASS|CREDENTIAL|AUTH/i;
/** Names that match SECRET_NAME but hold nothing secret, and whose values (names, paths) appear in ordinary text. */
const NOT_SECRET =
  /^(GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL|DATE)|SSH_AUTH_SOCK|.*_PATH|PASSWORD_STORE_DIR|KEYTIMEOUT)$/i;
const MIN_SECRET_LENGTH = 8;

/** Key formats worth catching even when they come from a file rather than the environment. */
export const KEY_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g,
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g,
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bxox[bpaors]-[A-Za-z0-9-]{10,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bhttps:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g,
  /\blin_api_[A-Za-z0-9]{20,}/g,
];

export interface RedactorOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** `security.redact_patterns`: extra regular expressions. */
  patterns?: readonly string[] | undefined;
}

export function createRedactor(options: RedactorOptions): Redactor {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(options.env)) {
    if (!value || value.length < MIN_SECRET_LENGTH || !SECRET_NAME.test(name) || NOT_SECRET.test(name))
      continue;
    if (!values.has(value)) values.set(value, name);
  }
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...values.entries()].sort((a, b) => b[0].length - a[0].length);
  const patterns = [...KEY_PATTERNS, ...(options.patterns ?? []).map(compilePattern)];

  const redact = (text: string): string => {
    let out = text;
    for (const [value, name] of secrets)
      if (out.includes(value)) out = out.split(value).join(`[REDACTED:${name}]`);
    for (const pattern of patterns) out = out.replace(pattern, '[REDACTED]');
    return out;
  };
  return { redact, redactRequest: (request) => redactRequest(request, redact) };
}

function compilePattern(source: string, index: number): RegExp {
  try {
    const pattern = new RegExp(source, 'g');
    if (pattern.test('')) throw new Error('it matches the empty string');
    return pattern;
  } catch (error) {
    throw new AidevError(
      'CONFIG_INVALID',
      `security.redact_patterns[${index}]: "${source}" is not a usable regular expression (${(error as Error).message})`,
      { hint: 'write a JavaScript regular expression without slashes, e.g. "acme_[A-Za-z0-9]{32}"' },
    );
  }
}

function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, redact)]));
  return value;
}

function redactBlock(block: AiContentBlock, redact: (text: string) => string): AiContentBlock {
  switch (block.type) {
    case 'text':
      return { ...block, text: redact(block.text) };
    case 'tool_use':
      return { ...block, input: redactValue(block.input, redact) };
    case 'tool_result':
      return { ...block, content: redact(block.content) };
  }
}

function redactRequest(request: AiRequest, redact: (text: string) => string): AiRequest {
  const messages: AiMessage[] = request.messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string'
        ? redact(message.content)
        : message.content.map((block) => redactBlock(block, redact)),
  }));
  return {
    ...request,
    system: redact(request.system),
    messages,
    tools: request.tools?.map((tool) => ({ ...tool, description: redact(tool.description) })),
  };
}
