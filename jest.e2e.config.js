const base = require('./jest.base');

/** ESM-only packages the console loads (single sign-on): compiled to CommonJS for jest's module loader. */
const ESM_ONLY = ['openid-client', 'oauth4webapi', 'jose'];

module.exports = {
  ...base,
  transform: {
    ...base.transform,
    [`node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: ['ts-jest', { tsconfig: 'tsconfig.jest-esm.json' }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  displayName: 'e2e',
  testRegex: 'test/e2e/.*\\.e2e-spec\\.ts$',
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
};
