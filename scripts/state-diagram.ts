/**
 * Rewrites the dispatch state diagram in docs/architecture.md from apps/dispatch/src/workflow/order-state.ts
 * (the one place the transitions are listed):  npx ts-node --transpile-only scripts/state-diagram.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withStateDiagram } from '../apps/dispatch/src/workflow/order-state';

const doc = join(__dirname, '..', 'docs', 'architecture.md');
writeFileSync(doc, withStateDiagram(readFileSync(doc, 'utf8')));
console.log(`state diagram written into ${doc}`);
