// Jest for @ares/scheduler: unit specs (*.spec.ts) and integration specs (*.int.spec.ts) both run in `npm test`.
module.exports = require('../../jest.preset.js')('@ares/scheduler', __dirname);
