/**
 * Writes deploy/nats/accounts.conf: every NATS user of the deployment and what it may publish and
 * subscribe to, generated from the contracts (libs/contracts/src/bus-permissions.ts). The hub's
 * configuration (deploy/nats/hub.conf) includes it.
 *
 *   npm run nats:config                          write it (prefix hotline, stream HOTLINE, domain city)
 *   npm run nats:config -- --check               fail if the committed file is not what the contracts give
 *   npm run nats:config -- --districts 630104,630105 --out /tmp/x.conf
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { natsAccountsConfig } from '@app/platform/bus/nats-permissions';

/** The district nodes of the committed configuration (the demo city's Chengxi district runs one). */
const DEFAULT_DISTRICTS = ['630104'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const out = arg('out') ?? join(__dirname, '..', 'deploy', 'nats', 'accounts.conf');
const text = natsAccountsConfig({
  prefix: arg('prefix') ?? 'hotline',
  stream: arg('stream') ?? 'HOTLINE',
  domain: arg('domain') ?? 'city',
  districts: (arg('districts') ?? DEFAULT_DISTRICTS.join(',')).split(',').filter(Boolean),
});

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(out, 'utf8');
  } catch {
    /* missing: differs */
  }
  if (committed !== text) {
    console.error(`${out} is not what the contracts give: run \`npm run nats:config\` and commit it`);
    process.exit(1);
  }
  console.log(`${out} matches the contracts`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
