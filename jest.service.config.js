/**
 * The service-level tier: one service with its real repositories on a real Postgres schema (a clone
 * of the template the global setup migrates and seeds once), the bus replaced by a RecordingOutbox.
 */
module.exports = {
  ...require('./jest.base'),
  displayName: 'service',
  testRegex: '(apps|libs|test)/.*\\.service-spec\\.ts$',
  testTimeout: 30000,
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/service/global-setup.ts',
};
