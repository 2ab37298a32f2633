#!/usr/bin/env node
// The `ares` CLI. TypeScript sources run through tsx (no build step).
require('tsx/cjs/api').register();
// The AWS SDK warns on every start that future releases will need Node 22; keep the CLI's output clean.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning && warning.message;
  if (typeof text === 'string' && text.includes('AWS SDK for JavaScript (v3)')) return;
  emitWarning(warning, ...rest);
};
require('../src/main.ts')
  .main(process.argv)
  .catch((err) => {
    console.error(`ares: ${err && err.message ? err.message : err}`);
    process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
  });
