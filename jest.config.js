// One jest run over every project: `npm test` (through infra/test.sh) and `npx jest`.
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const projects = ['apps', 'libs']
  .flatMap((dir) => readdirSync(join(__dirname, dir)).map((name) => join(__dirname, dir, name)))
  .filter((dir) => existsSync(join(dir, 'jest.config.js')));

// testTimeout is a global option in jest: project configs cannot set it.
module.exports = { projects, testTimeout: 120_000 };
