import { describe, expect, it } from 'vitest';
import type { AiRequest } from '../../../providers/types.js';
import { createRedactor } from './redact.js';

const CANARY = 'canary-7f3e9a1c-do-not-leak';

describe('createRedactor', () => {
  it('removes the values of credential-looking env variables, naming the variable', () => {
    const redactor = createRedactor({
      env: { ACME_API_KEY: CANARY, DB_PASSWORD: 'hunter2hunter2', HOME: '/home/dev', SHORT_TOKEN: 'abc' },
    });
    expect(redactor.redact(`key=${CANARY} pw=hunter2hunter2 home=/home/dev tok=abc`)).toBe(
      'key=[REDACTED:ACME_API_KEY] pw=[REDACTED:DB_PASSWORD] home=/home/dev tok=abc',
    );
  });

  it('leaves git author names and socket paths alone', () => {
    const redactor = createRedactor({
      env: { GIT_AUTHOR_NAME: 'Jane Developer', SSH_AUTH_SOCK: '/tmp/ssh-agent.sock' },
    });
    expect(redactor.redact('Jane Developer via /tmp/ssh-agent.sock')).toBe(
      'Jane Developer via /tmp/ssh-agent.sock',
    );
  });

  it('replaces a secret that contains another one whole', () => {
    const redactor = createRedactor({
      env: { OUTER_TOKEN: 'prefix-secret-value-long', INNER_SECRET: 'secret-value' },
    });
    expect(redactor.redact('x prefix-secret-value-long y secret-value')).toBe(
      'x [REDACTED:OUTER_TOKEN] y [REDACTED:INNER_SECRET]',
    );
  });

  it.each([
    ['anthropic', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
    ['openai', 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
    ['github classic', 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
    ['github fine-grained', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['gitlab', 'glpat-AbCdEfGhIjKlMnOpQrSt'],
    ['slack', 'xoxb-123456789012-abcdefghijkl'],
    ['aws', 'AKIAIOSFODNN7EXAMPLE'],
  ])('catches a %s key found in a file', (_kind, key) => {
    const redactor = createRedactor({ env: {} });
    const out = redactor.redact(`config = "${key}"\n`);
    expect(out).not.toContain(key);
    expect(out).toContain('[REDACTED]');
  });

  it('removes a whole private key block', () => {
    const pem =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\nAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----';
    expect(createRedactor({ env: {} }).redact(`a\n${pem}\nb`)).toBe('a\n[REDACTED]\nb');
  });

  it('applies security.redact_patterns, and rejects a broken or empty-matching one with its index', () => {
    expect(createRedactor({ env: {}, patterns: ['acme_[0-9]{6}'] }).redact('id acme_123456 ok')).toBe(
      'id [REDACTED] ok',
    );
    expect(() => createRedactor({ env: {}, patterns: ['ok', '([a-z'] })).toThrow(
      /security\.redact_patterns\[1\]/,
    );
    expect(() => createRedactor({ env: {}, patterns: ['x*'] })).toThrow(/empty string/);
  });

  it('redacts every part of a request a model reads, and is deterministic', () => {
    const redactor = createRedactor({ env: { SERVICE_TOKEN: CANARY } });
    const request: AiRequest = {
      system: `system ${CANARY}`,
      maxTokens: 100,
      tools: [{ name: 'read_file', description: `reads ${CANARY}`, inputSchema: { type: 'object' } }],
      messages: [
        { role: 'user', content: `hello ${CANARY}` },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: CANARY },
            { type: 'tool_use', id: 't1', name: 'write_file', input: { path: 'a', content: [CANARY] } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 't1', content: `file says ${CANARY}` }] },
      ],
    };
    const once = redactor.redactRequest(request);
    expect(JSON.stringify(once)).not.toContain(CANARY);
    expect(JSON.stringify(redactor.redactRequest(request))).toBe(JSON.stringify(once));
    expect(JSON.stringify(request)).toContain(CANARY); // the input is not mutated
  });
});
