/** Shared jest settings: ts-jest without type-checking (`npm run typecheck` does that once). */
module.exports = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleNameMapper: {
    '^@app/contracts(|/.*)$': '<rootDir>/libs/contracts/src$1',
    '^@app/platform(|/.*)$': '<rootDir>/libs/platform/src$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
