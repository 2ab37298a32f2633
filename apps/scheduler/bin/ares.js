#!/usr/bin/env node
// The `ares` CLI. TypeScript sources run through tsx (no build step).
require('tsx/cjs/api').register();
require('../src/main.ts')
  .main(process.argv)
  .catch((err) => {
    console.error(`ares: ${err && err.message ? err.message : err}`);
    process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
  });
