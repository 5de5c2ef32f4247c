// The console tier: the six BUILT apps (`npm run build` first) as child processes through test/harness,
// driven over HTTP (and, for the web specs, a real browser). Run with --runInBand.
module.exports = {
  ...require('./jest.base'),
  displayName: 'console',
  testRegex: 'test/console/.*\\.spec\\.ts$',
  testTimeout: 180000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
};
