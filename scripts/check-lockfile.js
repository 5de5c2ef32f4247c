#!/usr/bin/env node
// Fails when package-lock.json holds an entry that `npm ci` cannot read: a package entry that is
// neither a link nor carries a version (npm/cli#9342 writes bare `{ "optional": true }` placeholders
// for other platforms' native bindings; `npm ci` then stops with "Invalid Version:").
//
//   node scripts/check-lockfile.js [path/to/package-lock.json]
//
// Plain CommonJS: it runs in `npm run check` before anything is built.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** The keys of lockfile entries `npm ci` cannot install, in file order. */
function unreadableEntries(lock) {
  const packages = (lock && lock.packages) || {};
  return Object.entries(packages)
    .filter(([key, entry]) => key !== '' && !(entry && entry.link) && !(entry && entry.version))
    .map(([key]) => key);
}

function main() {
  const file = path.resolve(process.argv[2] || path.join(__dirname, '..', 'package-lock.json'));
  const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
  const bad = unreadableEntries(lock);
  if (bad.length === 0) {
    console.log(`lockfile: ${Object.keys(lock.packages || {}).length - 1} entries, all installable`);
    return 0;
  }
  console.error(`lockfile: ${bad.length} entries in ${path.basename(file)} have no version and are not links;`);
  console.error('`npm ci` fails on them with "Invalid Version". Entries:');
  for (const key of bad) console.error(`  ${key}`);
  console.error('Repair: see docs/operations.md, "Regenerating the lockfile".');
  return 1;
}

module.exports = { unreadableEntries };
if (require.main === module) process.exit(main());
