// Shared jest settings. TypeScript is transpiled by @swc/jest (fast, no type check);
// type checking is `tsc --noEmit` in `npm run lint`.
module.exports = (displayName, rootDir) => ({
  displayName,
  rootDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
});
