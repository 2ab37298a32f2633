// Jest for @ares/governor: unit specs (*.spec.ts) and integration specs (*.int.spec.ts) both run in `npm test`.
module.exports = require('../../jest.preset.js')('@ares/governor', __dirname);
