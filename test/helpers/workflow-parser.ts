// Loads @actions/workflow-parser under plain Node. Its ESM build imports its schema JSON without the `type: json`
// import attribute Node requires (it is built for bundlers), so a load hook serves those two JSON files as modules.
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as WorkflowParser from '@actions/workflow-parser';

let hooked = false;

export async function loadWorkflowParser(): Promise<typeof WorkflowParser> {
  if (!hooked) {
    hooked = true;
    registerHooks({
      load(url, context, nextLoad) {
        if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json')) {
          const json = readFileSync(fileURLToPath(url), 'utf8');
          return { format: 'module', source: `export default ${json};`, shortCircuit: true };
        }
        return nextLoad(url, context);
      },
    });
  }
  return import('@actions/workflow-parser');
}
