/**
 * Development tokens for each demo person (HS256 with AUTH_JWT_SECRET, or the development default).
 *   eval "$(npm run -s tokens)"    all of them into this shell: TOKEN_OPERATOR, TOKEN_DESK_MARKET, ...
 *                                  and OPEN311_API_KEY (the demo Open311 key `npm start` configured)
 *   npm run -s tokens dispatcher   one person, the bare token
 * After a build, the same as `node -r ./scripts/register-paths.js dist/scripts/mint-tokens.js`.
 */
import { DEV_JWT_SECRET, mintDevToken } from '@app/platform';
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { DEMO_USERS } from './demo-users';

/** `TOKEN_` + the key in upper snake case (deskMarket → TOKEN_DESK_MARKET). */
export function tokenVariable(key: string): string {
  return `TOKEN_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** The demo Open311 key from .data/dev-secrets.json (written by `npm start`), if there is one. */
function open311Key(): string | null {
  const root = __dirname.includes(`${sep}dist${sep}`) ? resolve(__dirname, '..', '..') : resolve(__dirname, '..');
  try {
    const secrets = JSON.parse(readFileSync(join(root, '.data', 'dev-secrets.json'), 'utf8')) as { OPEN311_API_KEY?: unknown };
    return typeof secrets.OPEN311_API_KEY === 'string' ? secrets.OPEN311_API_KEY : null;
  } catch {
    return null;
  }
}

if (require.main === module) {
  const secret = process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
  const only = process.argv[2];
  if (only) {
    const user = DEMO_USERS[only];
    if (!user) {
      console.error(`unknown person ${only}; one of: ${Object.keys(DEMO_USERS).join(', ')}`);
      process.exit(1);
    }
    console.log(mintDevToken(secret, user));
  } else {
    for (const [key, user] of Object.entries(DEMO_USERS)) {
      console.log(`# ${user.name}: roles ${user.roles.join(',')}; districts ${user.districts.join(',')}`);
      console.log(`export ${tokenVariable(key)}=${mintDevToken(secret, user)}`);
    }
    const key = open311Key();
    if (key) {
      console.log('# the demo Open311 client (api_key for POST /open311/v2/requests.json)');
      console.log(`export OPEN311_API_KEY=${key}`);
    }
  }
}
