/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: require is how this file imports */
// Entry of a training thread (TrainingThreadPool). Node 20 does not apply `--import tsx` from a
// Worker's execArgv, so this plain CommonJS file registers tsx's require hook itself (under jest
// too, where the thread is an ordinary Node thread outside jest's transform) and loads the
// TypeScript entry. Once compiled to JavaScript, the .js sibling is loaded without tsx.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, 'trainingThread.js');
if (existsSync(compiled)) {
  require(compiled);
} else {
  require('tsx/cjs/api').register();
  require('./trainingThread.ts');
}
