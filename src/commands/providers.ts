// `aidev providers list`: the static registry, with which provider each category uses and whether it is ready.
import { providerDefinitions } from '../../providers/index.js';
import type { Category } from '../../providers/types.js';
import { AidevError } from '../core/errors.js';
import { credentialState, findDefinition, providerContext } from '../core/providers.js';
import { openSession, type GlobalOptions } from '../core/session.js';

export interface ProviderStatus {
  category: Category;
  id: string;
  description: string;
  configured: boolean;
  ready: boolean;
  problem?: string | undefined;
  credentials: { key: string; env: string[]; present: boolean; optional: boolean }[];
}

export async function runProvidersList(options: GlobalOptions): Promise<{ providers: ProviderStatus[] }> {
  const session = await openSession(options);
  const out: ProviderStatus[] = [];
  for (const def of providerDefinitions) {
    const configured = session.providers.idOf(def.category) === def.id;
    const credentials = def.credentials.map((c) => ({
      key: c.key,
      env: [...c.env],
      optional: c.optional ?? false,
      present: false,
    }));
    let problem: string | undefined;
    try {
      const ctx = providerContext(
        def.category,
        def.id,
        findDefinition(def.category, def.id)!,
        session.loaded,
        session.runtime,
        session.logger,
      );
      for (const c of credentials) c.present = ctx.optionalCredential(c.key, c.env) !== undefined;
      problem = credentialState(def, ctx).problem;
    } catch (error) {
      problem = error instanceof AidevError ? error.message : String(error);
    }
    out.push({
      category: def.category,
      id: def.id,
      description: def.description,
      configured,
      ready: !problem,
      problem,
      credentials,
    });
  }
  return { providers: out };
}
