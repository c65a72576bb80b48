// Which shell commands the agent may run. The command line is split into simple commands (at &&, ||, ;, | and
// newlines); every one must match security.allowed_commands, and none may match denied_commands (which always wins).
// Substitutions, background jobs and file redirections are refused, since they would hide what really runs.
import type { GlobMatcher } from './glob.js';

export type CommandDecision =
  { allowed: true; segments: string[][] } | { allowed: false; reason: string; rule?: string | undefined };

interface Parsed {
  segments: string[][];
  error?: string | undefined;
}

const WRAPPERS = new Set([
  'env',
  'nice',
  'nohup',
  'timeout',
  'xargs',
  'command',
  'exec',
  'time',
  'stdbuf',
  'sudo',
  'doas',
  'npx',
  'builtin',
]);

/** A small POSIX-ish tokenizer: quotes, escapes and control operators; enough to know what would run. */
export function parseCommandLine(line: string): Parsed {
  const segments: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endSegment = (): void => {
    endWord();
    if (words.length) segments.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const next = line[i + 1];
    if (c === '\\') {
      if (next === '\n') i++;
      else if (next !== undefined) {
        word += next;
        inWord = true;
        i++;
      }
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { segments, error: 'unbalanced single quote' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) {
          word += line[++j];
          continue;
        }
        if (line[j] === '`' || (line[j] === '$' && line[j + 1] === '('))
          return { segments, error: 'command substitution is not allowed' };
        word += line[j];
      }
      if (j >= line.length) return { segments, error: 'unbalanced double quote' };
      inWord = true;
      i = j;
      continue;
    }
    if (c === '`' || (c === '$' && next === '('))
      return { segments, error: 'command substitution is not allowed' };
    if ((c === '<' || c === '>') && next === '(')
      return { segments, error: 'process substitution is not allowed' };
    if (c === '&' && next === '&') {
      endSegment();
      i++;
      continue;
    }
    if (c === '|') {
      endSegment();
      if (next === '|') i++;
      continue;
    }
    if (c === ';' || c === '\n') {
      endSegment();
      continue;
    }
    // `2>&1` never reaches here: readRedirect consumes descriptor copies.
    if (c === '&') return { segments, error: 'background jobs (&) are not allowed' };
    if (c === '>' || c === '<') {
      const redirect = readRedirect(line, i);
      if (redirect.error) return { segments, error: redirect.error };
      if (inWord && /^\d$/.test(word)) {
        word = '';
        inWord = false;
      }
      i = redirect.end;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      continue;
    }
    word += c;
    inWord = true;
  }
  endSegment();
  return { segments };
}

/** Only `>/dev/null`, `2>&1`-style copies and `</dev/null` are accepted: a file redirection could read or write anywhere. */
function readRedirect(line: string, at: number): { end: number; error?: string } {
  let i = at;
  const op = line[i]!;
  i++;
  if (line[i] === '>' || (op === '<' && line[i] === '<')) {
    if (op === '<') return { end: i, error: 'here-documents are not allowed' };
    i++;
  }
  if (line[i] === '&') {
    const m = /^&(\d|-)/.exec(line.slice(i));
    if (!m) return { end: i, error: 'unsupported redirection' };
    return { end: i + m[0].length - 1 };
  }
  while (line[i] === ' ' || line[i] === '\t') i++;
  const m = /^[^\s;&|<>]+/.exec(line.slice(i));
  const target = m?.[0] ?? '';
  if (target === '/dev/null') return { end: i + target.length - 1 };
  return {
    end: i,
    error: `redirection ${op === '<' ? 'from' : 'to'} "${target || '?'}" is not allowed (only /dev/null); the tools read and write files`,
  };
}

/** Drops leading `NAME=value` assignments, which do not change which program runs. */
function program(words: string[]): string[] {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
  return words.slice(i);
}

function base(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

function ruleWords(rule: string): string[] {
  return parseCommandLine(rule).segments[0] ?? [];
}

/** `words` begins with `rule` (the program compared by its base name, so /usr/bin/curl is curl). */
function startsWith(words: string[], rule: string[]): boolean {
  if (!rule.length || words.length < rule.length) return false;
  return rule.every((r, i) => (i === 0 ? base(words[0]!) === base(r) : words[i] === r));
}

/** The denied sequence appears anywhere: `timeout 5 curl …` and `xargs curl` are still curl. */
function containsRule(words: string[], rule: string[]): boolean {
  for (let i = 0; i < words.length; i++) if (startsWith(words.slice(i), rule)) return true;
  return false;
}

// Flags that make read-only git write files, run programs, or read outside the repository.
const GIT_UNSAFE_FLAG =
  /^(--output(=.*)?|-o|--ext-diff|--textconv|--no-index|-c|--exec(=.*)?|--upload-pack.*|--config-env.*|--git-dir.*|--work-tree.*|-C)$/;

export interface CommandRules {
  allowed: readonly string[];
  denied: readonly string[];
  blocked: GlobMatcher;
}

export function checkCommand(line: string, rules: CommandRules): CommandDecision {
  if (!line.trim()) return { allowed: false, reason: 'the command is empty' };
  const parsed = parseCommandLine(line);
  if (parsed.error) return { allowed: false, reason: parsed.error };
  const denied = rules.denied.map(ruleWords).filter((w) => w.length);
  const allowed = rules.allowed.map(ruleWords).filter((w) => w.length);
  for (const segment of parsed.segments) {
    const words = program(segment);
    for (let d = 0; d < denied.length; d++) {
      if (containsRule(words, denied[d]!) || containsRule(segment, denied[d]!)) {
        return {
          allowed: false,
          reason: `"${rules.denied[d]}" is in security.denied_commands`,
          rule: rules.denied[d],
        };
      }
    }
  }
  for (const segment of parsed.segments) {
    const words = program(segment);
    if (!words.length) return { allowed: false, reason: 'a variable assignment alone is not a command' };
    if (words[0]!.includes('$'))
      return { allowed: false, reason: 'the program name may not come from a variable' };
    if (WRAPPERS.has(base(words[0]!)) && !allowed.some((rule) => startsWith(words, rule))) {
      return { allowed: false, reason: `"${base(words[0]!)}" runs other programs and is not allowed` };
    }
    const blockedWord = words.find((w) =>
      w.split(/[:=]/).some((part) => part && rules.blocked(part.replace(/^\.\//, ''))),
    );
    if (blockedWord)
      return { allowed: false, reason: `"${blockedWord}" refers to a blocked path (security.blocked_paths)` };
    if (base(words[0]!) === 'git') {
      const unsafe = words.find((w) => GIT_UNSAFE_FLAG.test(w));
      if (unsafe) return { allowed: false, reason: `git ${unsafe} is not allowed for the agent` };
    }
    if (!allowed.some((rule) => startsWith(words, rule))) {
      return {
        allowed: false,
        reason: `"${words.slice(0, 3).join(' ')}" is not in the allowed commands (the configured checks, read-only git and security.allowed_commands)`,
      };
    }
  }
  return { allowed: true, segments: parsed.segments };
}

export const READ_ONLY_GIT = ['git status', 'git diff', 'git log', 'git show', 'git ls-files', 'git grep'];
