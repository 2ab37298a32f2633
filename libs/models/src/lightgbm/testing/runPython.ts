import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { toolPaths } from '@ares/data';

const run = promisify(execFile);

/** Runs a script with the tools venv's Python (lightgbm 4.6.0, numpy); rejects with its stderr. */
export async function runPython(script: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(toolPaths().python, [script, ...args], { maxBuffer: 1 << 24 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`python ${script} ${args.join(' ')} failed: ${e.stderr || e.message}`, { cause: err });
  }
}
