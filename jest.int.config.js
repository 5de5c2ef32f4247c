module.exports = {
  ...require('./jest.base'),
  displayName: 'integration',
  testRegex: '(apps|libs|test)/.*\\.int-spec\\.ts$',
  testTimeout: 60000,
};
