/**
 * Development tokens for each demo role (HS256 with AUTH_JWT_SECRET, or the development default).
 *   npm run tokens            all roles, as shell exports
 *   npm run tokens dispatcher one role, the bare token
 */
import { DEV_JWT_SECRET, mintDevToken } from '@app/platform';
import { DEMO_USERS } from './demo-users';

const secret = process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
const only = process.argv[2];
if (only) {
  const user = DEMO_USERS[only];
  if (!user) {
    console.error(`unknown role ${only}; one of: ${Object.keys(DEMO_USERS).join(', ')}`);
    process.exit(1);
  }
  console.log(mintDevToken(secret, user));
} else {
  for (const [key, user] of Object.entries(DEMO_USERS)) {
    console.log(`# ${user.name}: roles ${user.roles.join(',')}; districts ${user.districts.join(',')}`);
    console.log(`export TOKEN_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}=${mintDevToken(secret, user)}`);
  }
}
