#!/usr/bin/env node
// The `ares` CLI. TypeScript sources run through tsx (no build step).
const { existsSync, readFileSync, statSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { join } = require('node:path');

// Dependencies missing or older than the lockfile: say what to run, not a screen of minified source.
const root = join(__dirname, '..', '..', '..');
const fix = `run 'bash infra/setup.sh' (or 'npm install') in ${root}`;
if (!existsSync(join(root, 'node_modules', 'tsx')) || !existsSync(join(root, 'node_modules', 'commander'))) {
  console.error(`ares: the npm dependencies are not installed: ${fix}`);
  process.exit(1);
}
try {
  // infra/setup.sh records the lockfile hash it installed from in node_modules/.ares-lock.
  const stamp = readFileSync(join(root, 'node_modules', '.ares-lock'), 'utf8').trim();
  const lock = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex').slice(0, 16);
  // A plain `npm install` since then rewrote node_modules/.package-lock.json after the lockfile.
  const installed = statSync(join(root, 'node_modules', '.package-lock.json')).mtimeMs;
  if (stamp !== lock && installed < statSync(join(root, 'package-lock.json')).mtimeMs) {
    console.error(`ares: node_modules was installed from another package-lock.json (${stamp}, now ${lock}): ${fix}`);
    process.exit(1);
  }
} catch {
  // no stamp or no npm record: nothing to compare
}

require('tsx/cjs/api').register();
// The AWS SDK warns on every start that future releases will need Node 22; keep the CLI's output clean.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning && warning.message;
  if (typeof text === 'string' && text.includes('AWS SDK for JavaScript (v3)')) return;
  emitWarning(warning, ...rest);
};
let main;
try {
  main = require('../src/main.ts').main;
} catch (err) {
  // A module that cannot be found or loaded here is an install problem, not a bug to show in full.
  if (err && (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'ERR_DLOPEN_FAILED')) {
    console.error(`ares: a dependency cannot be loaded (${String(err.message).split('\n')[0]}): ${fix}`);
    process.exit(1);
  }
  throw err;
}
main(process.argv)
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(`ares: ${err && err.message ? err.message : err}`);
    process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
  });
