// The environment agent commands and checks get: the user's environment minus anything that looks like a credential.
import type { Env } from '../git/client.js';

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE/i;
// Values such as https://user:pass@host carry a password whatever the variable is called.
const SECRET_VALUE = /:\/\/[^/\s:@]+:[^/\s@]+@/;
const ALWAYS_DROP = new Set([
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GPG_AGENT_INFO',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_CONFIG',
  'GIT_CONFIG_GLOBAL',
  'GIT_SSH_COMMAND',
  'NODE_OPTIONS',
]);

export function scrubEnv(env: Env, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (
      SECRET_NAME.test(name) ||
      ALWAYS_DROP.has(name.toUpperCase()) ||
      name.toUpperCase().startsWith('GIT_CONFIG_')
    )
      continue;
    if (SECRET_VALUE.test(value)) continue;
    out[name] = value;
  }
  return { ...out, GIT_TERMINAL_PROMPT: '0', ...extra };
}

/** Names of the variables scrubEnv drops (for the audit log: names only, never values). */
export function droppedNames(env: Env): string[] {
  const kept = scrubEnv(env);
  return Object.keys(env).filter((name) => env[name] !== undefined && !(name in kept));
}
