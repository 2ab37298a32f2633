// Jest for @ares/features: unit specs (*.spec.ts) and integration specs (*.int.spec.ts) both run in `npm test`.
module.exports = require('../../jest.preset.js')('@ares/features', __dirname);
