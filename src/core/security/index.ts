// The security policy of agent runs (see docs/security.md).
export { checkCommand, parseCommandLine, READ_ONLY_GIT, type CommandDecision } from './commands.js';
export { droppedNames, scrubEnv } from './env.js';
export { CappedText, execCommand, LIVE_LINE_MAX, type ExecInput, type ExecResult } from './exec.js';
export { compileGlobs, globToRegExp, type GlobMatcher } from './glob.js';
export { confinePath, denied, isGitInternal, type ConfinedPath } from './paths.js';
export { createPolicy, type PolicyInput, type RunOptions, type SecurityPolicy } from './policy.js';
export {
  bwrapArgs,
  requireSandbox,
  sandboxStatus,
  type SandboxSetting,
  type SandboxStatus,
} from './sandbox.js';
