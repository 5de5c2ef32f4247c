module.exports = { ...require('./jest.base'), displayName: 'unit', testRegex: '(apps|libs|scripts)/.*\\.spec\\.ts$' };
