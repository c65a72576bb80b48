// `aidev plan --yes` publishing to Linear through the schema-validating contract fake: the epic becomes a parent issue,
// plan tasks its sub-issues, and plan links "blocks" relations.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatProvider } from '../../providers/types.js';
import { runPlan } from '../../src/commands/plan.js';
import { autoApprover } from '../../src/core/approvals.js';
import { startLinearFake, type LinearFake } from '../helpers/contract/linear-fake.js';
import { gitIdentity, tempDir, tempRepo } from '../helpers/temp.js';
import { chainPlan } from './plan-kit.js';

const KEY = 'lin_api_plan_key';
let fake: LinearFake | undefined;
afterEach(async () => {
  await fake?.server.close();
  fake = undefined;
});

describe('aidev plan --yes with tasks: linear', () => {
  it('publishes the epic as a parent issue, its tasks as sub-issues, and the links as blocks relations', async () => {
    fake = await startLinearFake({ apiKey: KEY });
    const config = `tasks:\n  provider: linear\n  linear:\n    team: ENG\n    base_url: '${fake.url}'\n`;
    const { dir } = tempRepo({ files: { 'README.md': '# app\n', '.aidevrc.yaml': config } });
    const file = join(tempDir(), 'plan.json');
    writeFileSync(file, JSON.stringify(chainPlan(3)));
    const chat: ChatProvider = { id: 'quiet', notify: () => Promise.resolve({ id: null, threadId: null }) };
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...gitIdentity,
      AIDEV_HOME: tempDir('aidev-home-'),
      LINEAR_API_KEY: KEY,
    };
    const outcome = await runPlan({
      cwd: dir,
      env,
      approver: autoApprover,
      fromFile: file,
      prepare: (session) => session.providers.set('chat', chat),
    });
    if (outcome.kind !== 'plan') throw new Error('not a plan result');
    const r = outcome.result;
    expect(r, JSON.stringify(r.error)).toMatchObject({ status: 'published', created: 4, links: 2 });
    const byIdentifier = (id: string) => fake!.issues.find((i) => i.identifier === id || i.id === id)!;
    const epic = byIdentifier(r.mapping.E1!);
    const [t1, t2, t3] = ['T1', 'T2', 'T3'].map((k) => byIdentifier(r.mapping[k]!));
    expect(epic.parentId).toBeNull();
    for (const t of [t1!, t2!, t3!]) expect(t.parentId).toBe(epic.id);
    const blocks = fake.relations
      .filter((rel) => rel.type === 'blocks')
      .map((rel) => [rel.issueId, rel.relatedIssueId]);
    expect(blocks).toEqual(
      expect.arrayContaining([
        [t1!.id, t2!.id],
        [t2!.id, t3!.id],
      ]),
    );
    expect(fake.issues).toHaveLength(4);
  });
});
