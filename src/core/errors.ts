// The one error type users see. Each carries a stable code, a hint and the process exit code; only bin/ exits.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  budget: 3,
  approvalRequired: 4,
  rejected: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const exitCodeOf = {
  USAGE: ExitCode.usage,
  CONFIG_INVALID: ExitCode.usage,
  CONFIG_NOT_FOUND: ExitCode.usage,
  WORKFLOW_INVALID: ExitCode.usage,
  UNKNOWN_PROVIDER: ExitCode.usage,
  ENV_MISSING: ExitCode.usage,
  NOT_A_GIT_REPO: ExitCode.usage,
  TASK_NOT_FOUND: ExitCode.failure,
  TASK_FILE_INVALID: ExitCode.failure,
  TEMPLATE_ERROR: ExitCode.usage,
  LEDGER_LOCKED: ExitCode.failure,
  LEDGER_CORRUPT: ExitCode.failure,
  LEDGER_TOO_NEW: ExitCode.failure,
  RUN_NOT_FOUND: ExitCode.usage,
  STEP_FAILED: ExitCode.failure,
  PROVIDER_ERROR: ExitCode.failure,
  GIT_ERROR: ExitCode.failure,
  POLICY_DENIED: ExitCode.failure,
  BUDGET_EXCEEDED: ExitCode.budget,
  PRICE_UNKNOWN: ExitCode.usage,
  APPROVAL_REQUIRED: ExitCode.approvalRequired,
  REJECTED: ExitCode.rejected,
  INTERRUPTED: ExitCode.interrupted,
  TIMEOUT: ExitCode.failure,
  INTERNAL: ExitCode.failure,
} as const satisfies Record<string, ExitCode>;

export type ErrorCode = keyof typeof exitCodeOf;

export interface AidevErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
  /** Extra machine-readable facts for --json output (never secrets). */
  details?: Record<string, unknown> | undefined;
  exitCode?: ExitCode | undefined;
}

export class AidevError extends Error {
  override readonly name = 'AidevError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AidevErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.exitCode = options.exitCode ?? exitCodeOf[code];
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      exitCode: this.exitCode,
      ...this.details,
    };
  }
}

export function isAidevError(value: unknown): value is AidevError {
  return value instanceof AidevError;
}

/** Wraps anything thrown into an AidevError, keeping the original as the cause. */
export function toAidevError(value: unknown, code: ErrorCode = 'INTERNAL'): AidevError {
  if (value instanceof AidevError) return value;
  if (isAbortError(value)) return new AidevError('INTERRUPTED', 'interrupted', { cause: value });
  const message = value instanceof Error ? value.message : String(value);
  return new AidevError(code, message, { cause: value });
}

export function isAbortError(value: unknown): boolean {
  return (
    value instanceof Error &&
    (value.name === 'AbortError' || (value as { code?: unknown }).code === 'ABORT_ERR')
  );
}

/** The user-facing form: `error: <message>` and an indented hint. */
export function formatError(error: AidevError, verbose = false): string {
  const lines = [`error: ${error.message}`];
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  if (verbose) {
    let cause: unknown = error.cause ?? error;
    if (cause instanceof Error && cause.stack) lines.push('', cause.stack);
    while (cause instanceof Error && cause.cause && cause.cause !== cause) {
      cause = cause.cause;
      if (cause instanceof Error && cause.stack) lines.push('caused by: ' + cause.stack);
    }
  }
  return lines.join('\n');
}
