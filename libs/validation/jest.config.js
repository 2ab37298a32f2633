// Jest for @ares/validation: unit specs (*.spec.ts) and integration specs (*.int.spec.ts) both run in `npm test`.
module.exports = require('../../jest.preset.js')('@ares/validation', __dirname);
