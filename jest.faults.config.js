// `npm run test:faults`: the fault-injection suite (apps/worker/src/faults/*.faults.ts), one case
// after another on real processes. Not part of `npm test`'s projects; see the README.
const preset = require('./jest.preset.js')('faults', __dirname);

module.exports = { ...preset, testMatch: ['<rootDir>/apps/worker/src/faults/**/*.faults.ts'], testTimeout: 1_800_000 };
