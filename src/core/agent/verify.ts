// verify.checks after the agent finishes: each check runs in the worktree through the security policy (sandboxed,
// scrubbed environment, timeout, output cap). A check that cannot start (exit 127) is a setup problem, not the model's.
import type { SecurityPolicy } from '../security/policy.js';
import { CappedText } from '../security/exec.js';

export interface CheckResult {
  command: string;
  exitCode: number;
  output: string;
  durationMs: number;
  timedOut: boolean;
  /** The limit it ran under (verify.timeout), for the "timed out after" line. */
  timeoutMs?: number | undefined;
}

export interface VerifyResult {
  passed: boolean;
  results: CheckResult[];
  /** One line per check, e.g. `npm test: passed (2.1 s)`. */
  summary: string;
  /** Checks that fail as they already did on the base (see baseline.ts): allowed. */
  preExisting?: string[] | undefined;
  /** The first check whose program was not found. */
  missingTool?: CheckResult | undefined;
}

export interface VerifyOptions {
  timeoutMs: number;
  outputLimit: number;
  signal?: AbortSignal | undefined;
  onLine?: ((line: string) => void) | undefined;
}

/** Names the limit and the setting to raise; exec killed the check's whole process group. */
export function timedOutText(r: Pick<CheckResult, 'durationMs' | 'timeoutMs'>): string {
  const limit = r.timeoutMs ? `${Math.round(r.timeoutMs / 1000)} s` : `${(r.durationMs / 1000).toFixed(1)} s`;
  return `timed out after ${limit} (verify.timeout), killed with its child processes`;
}

function describe(r: CheckResult): string {
  const secs = `${(r.durationMs / 1000).toFixed(1)} s`;
  if (r.exitCode === 0) return `${r.command}: passed (${secs})`;
  if (r.timedOut) return `${r.command}: ${timedOutText(r)}`;
  if (r.exitCode === 127) return `${r.command}: command not found (exit 127)`;
  return `${r.command}: failed with exit code ${r.exitCode} (${secs})`;
}

export async function runChecks(
  policy: SecurityPolicy,
  checks: readonly string[],
  options: VerifyOptions,
): Promise<VerifyResult> {
  if (!checks.length)
    return { passed: true, results: [], summary: 'no checks configured (verify.checks is empty)' };
  const results: CheckResult[] = [];
  for (const command of checks) {
    options.onLine?.(`$ ${command}`);
    const r = await policy.runCommand(command, {
      trusted: true,
      timeoutMs: options.timeoutMs,
      outputLimit: options.outputLimit,
      signal: options.signal,
      onLine: options.onLine,
    });
    results.push({
      command,
      exitCode: r.exitCode,
      output: r.output,
      durationMs: r.durationMs,
      timedOut: r.timedOut,
      timeoutMs: options.timeoutMs,
    });
    if (r.aborted) break;
  }
  return {
    passed: results.every((r) => r.exitCode === 0),
    results,
    summary: results.map(describe).join('\n'),
    missingTool: results.find((r) => r.exitCode === 127),
  };
}

/**
 * The failing checks' output, for the model or the saved log. With `maxChars`, each failing check gets an equal share
 * and keeps its head and its tail (where runners print the summary), so a long first output never crowds out the
 * next check's.
 */
export function failureReport(result: VerifyResult, maxChars = Infinity): string {
  const failed = result.results.filter((r) => r.exitCode !== 0);
  const share = Math.floor(maxChars / Math.max(1, failed.length)) - 2;
  return failed
    .map((r) => {
      const head = `$ ${r.command}\n${describe(r)}\n`;
      return head + fitText(r.output.trimEnd(), share - head.length);
    })
    .join('\n\n');
}

/** `text` in at most `max` characters (the omission marker included), head and tail kept as command output is. */
function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const capped = new CappedText(Math.max(0, max - `\n… [${text.length} characters omitted] …\n`.length));
  capped.push(text);
  return capped.toString();
}
