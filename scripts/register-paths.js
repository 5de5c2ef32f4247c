// Resolves the `@app/*` library aliases for compiled code in dist/ (node -r ./scripts/register-paths.js ...).
const path = require('node:path');
const { register } = require('tsconfig-paths');

const dist = path.join(__dirname, '..', 'dist');
register({
  baseUrl: dist,
  paths: {
    '@app/contracts': ['libs/contracts/src'],
    '@app/contracts/*': ['libs/contracts/src/*'],
    '@app/platform': ['libs/platform/src'],
    '@app/platform/*': ['libs/platform/src/*'],
  },
});
