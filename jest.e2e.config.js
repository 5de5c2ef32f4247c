module.exports = {
  ...require('./jest.base'),
  displayName: 'e2e',
  testRegex: 'test/e2e/.*\\.e2e-spec\\.ts$',
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
};
