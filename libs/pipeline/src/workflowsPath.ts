import { join } from 'node:path';

/** Path of the workflows entry file, for `Worker.create({ workflowsPath })` and `bundleWorkflowCode`. */
export const workflowsPath = join(__dirname, 'workflows', 'index.ts');
