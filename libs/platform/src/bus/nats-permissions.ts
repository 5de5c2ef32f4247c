import {
  ADDRESSED_EVENTS,
  BUS_SERVICES,
  BusService,
  DISTRICT_NODE_SERVICES,
  EVENT_CONSUMERS,
  EVENT_PRODUCER,
  EVENT_TYPES,
  EventType,
  LIVE_READERS,
  QUERY_ROUTES,
  QueryPattern,
  querySubject,
} from '@app/contracts';
import { durableName } from './consumer-host';
import { inboxPrefixOf } from './jetstream';

/**
 * The NATS users of a deployment and what each may do, derived from the contracts' tables
 * (EVENT_PRODUCER, EVENT_CONSUMERS, QUERY_ROUTES): one user per service, and per district node
 * service (`dispatch-630104`). Rendered into nats-server configuration by `natsAccountsConfig`
 * (scripts/nats-config.ts writes deploy/nats/ with it; the NATS authorisation tests start servers
 * with it).
 *
 * What a user is allowed, nothing else:
 * - publish the subjects of the event types it produces (a district node: under its district only);
 * - create, look up and pull from the durable consumers it runs (`<service>__<type>`), each bound
 *   to the filter subject of a type it consumes — the create subject carries the filter
 *   (`$JS.API.CONSUMER.CREATE.<stream>.<durable>.<filter>`, nats-server >= 2.9), so it cannot
 *   open a consumer on anything else; ack its own consumers' messages;
 * - look the stream up and create it if missing; never update, purge or delete it, nor delete a
 *   message;
 * - ask the queries it may ask, answer the ones it answers (answers go to the asker's inbox only);
 * - receive replies on its own inbox prefix `_INBOX_<user>`, which nobody else may subscribe to.
 */
export interface NatsUser {
  user: string;
  /** Environment variable the server reads the password from (`$NATS_PASSWORD_INTAKE`). */
  passwordVar: string;
  publish: string[];
  subscribe: string[];
  /** May publish to the reply subject of a request it received (it answers queries). */
  allowResponses: boolean;
}

export interface NatsPermissionOptions {
  /** Subject prefix (BUS_PREFIX). */
  prefix: string;
  /** Stream name (BUS_STREAM). */
  stream: string;
  /** District codes that run their own district node. */
  districts?: readonly string[];
  /**
   * The hub's JetStream domain (`city`), if it has one: district nodes reach JetStream through
   * their leaf node on `$JS.<domain>.API`, so their users get those subjects too.
   */
  domain?: string;
}

function passwordVar(user: string): string {
  return `NATS_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`;
}

function consumedTypes(service: BusService): readonly EventType[] {
  const c = EVENT_CONSUMERS[service];
  return c === 'all' ? EVENT_TYPES : c;
}

/** The permissions of one service's user; `district` for a district node's. */
export function natsUser(service: BusService, o: NatsPermissionOptions, district?: string): NatsUser {
  const user = district ? `${service}-${district}` : service;
  const where = district ?? '*';
  const apis = ['$JS.API', ...(district && o.domain ? [`$JS.${o.domain}.API`] : [])];
  const publish: string[] = [];
  const subscribe: string[] = [`${inboxPrefixOf(user)}.>`];

  for (const type of EVENT_TYPES) {
    if (EVENT_PRODUCER[type] !== service) continue;
    // A district node publishes under its own district only: a hand-over (ticket.redistricted.v1)
    // too, which travels under the district the order leaves (ADDRESSED_EVENTS).
    publish.push(`${o.prefix}.${where}.${type}`);
  }
  for (const api of apis) {
    publish.push(`${api}.INFO`, `${api}.STREAM.INFO.${o.stream}`, `${api}.STREAM.CREATE.${o.stream}`);
    if (EVENT_CONSUMERS[service] === 'all' && !district) {
      // Reads everything anyway: any consumer of its own, bound to the stream's subjects (the replay).
      publish.push(
        `${api}.CONSUMER.CREATE.${o.stream}.*.${o.prefix}.>`,
        `${api}.CONSUMER.INFO.${o.stream}.*`,
        `${api}.CONSUMER.DELETE.${o.stream}.*`,
        `${api}.CONSUMER.MSG.NEXT.${o.stream}.*`,
      );
      continue;
    }
    for (const type of consumedTypes(service)) {
      const durable = durableName(service, type, district);
      publish.push(
        `${api}.CONSUMER.CREATE.${o.stream}.${durable}.${o.prefix}.${ADDRESSED_EVENTS[type] ? '*' : where}.${type}`,
        `${api}.CONSUMER.INFO.${o.stream}.${durable}`,
        `${api}.CONSUMER.MSG.NEXT.${o.stream}.${durable}`,
      );
    }
  }
  if (EVENT_CONSUMERS[service] === 'all' && !district) publish.push(`$JS.ACK.${o.stream}.>`);
  else for (const type of consumedTypes(service)) publish.push(`$JS.ACK.${o.stream}.${durableName(service, type, district)}.>`);

  let allowResponses = false;
  for (const [pattern, route] of Object.entries(QUERY_ROUTES) as [QueryPattern, (typeof QUERY_ROUTES)[QueryPattern]][]) {
    if (district) continue; // district nodes ask through the city's services, never directly
    if (route.answeredBy === service) {
      subscribe.push(querySubject(o.prefix, pattern));
      allowResponses = true;
    }
    if (route.askedBy.includes(service)) publish.push(querySubject(o.prefix, pattern));
  }
  if (LIVE_READERS.includes(service) && !district) subscribe.push(`${o.prefix}.>`);
  return { user, passwordVar: passwordVar(user), publish, subscribe, allowResponses };
}

/**
 * The user a district's leaf node links to the hub as (`leaf-630104`, password `$LEAF_PASSWORD_630104`):
 * what the node's services may do, together, and nothing more. On a leaf connection NATS applies the
 * user's publish permissions to what the leaf sends into the hub and its subscribe permissions to
 * what the hub sends down the link, so whoever reaches the district's leaf server reaches the city
 * only as that district's node: its district's events, its own consumers, replies on its inboxes.
 */
export function natsLeafUser(o: NatsPermissionOptions, district: string): NatsUser {
  const node = DISTRICT_NODE_SERVICES.map((s) => natsUser(s, o, district));
  return {
    user: `leaf-${district}`,
    passwordVar: `LEAF_PASSWORD_${district}`,
    publish: [...new Set(node.flatMap((u) => u.publish))],
    subscribe: [...new Set(node.flatMap((u) => u.subscribe))],
    allowResponses: node.some((u) => u.allowResponses),
  };
}

/** Every user of a deployment: each service, then each district node's services and its leaf link. */
export function natsUsers(o: NatsPermissionOptions): NatsUser[] {
  const users = BUS_SERVICES.map((s) => natsUser(s, o));
  for (const d of o.districts ?? []) {
    for (const s of DISTRICT_NODE_SERVICES) users.push(natsUser(s, o, d));
    users.push(natsLeafUser(o, d));
  }
  return users;
}

const q = (s: string) => JSON.stringify(s);

/**
 * The `accounts { ... }` block of a nats-server configuration holding every user: one account
 * (`JIESU`, JetStream on) so that the stream and its consumers are shared, each user with its
 * permissions, and `ops`, the operators' user (stream edits, backups), which no service holds; and a
 * system account for monitoring. Passwords come from the server's
 * environment (`$NATS_PASSWORD_<USER>`, `$LEAF_PASSWORD_<district>`), never from the file. Include
 * it from the hub's config; the hub's `leafnodes` block has no users of its own, so a leaf link
 * authenticates as one of these (`leaf-<district>`) and carries its permissions.
 */
export function natsAccountsConfig(o: NatsPermissionOptions): string {
  const lines: string[] = [
    '# Generated by `npm run nats:config` from libs/contracts/src/bus-permissions.ts; do not edit.',
    '# Passwords come from the environment of nats-server: NATS_PASSWORD_<USER>.',
    'accounts {',
    '  JIESU {',
    '    jetstream: enabled',
    '    users = [',
  ];
  for (const u of natsUsers(o)) {
    lines.push(
      `      {`,
      `        user: ${q(u.user)}, password: $${u.passwordVar}`,
      `        permissions {`,
      `          publish { allow: [${u.publish.map(q).join(', ')}] }`,
      `          subscribe { allow: [${u.subscribe.map(q).join(', ')}] }`,
      ...(u.allowResponses ? ['          allow_responses: true'] : []),
      `        }`,
      `      }`,
    );
  }
  // The operators' own user (stream edits, backups, replicas): everything, never given to a service.
  lines.push('      { user: "ops", password: $NATS_PASSWORD_OPS }');
  lines.push(
    '    ]',
    '  }',
    '  SYS {',
    '    users = [{ user: "sys", password: $NATS_PASSWORD_SYS }]',
    '  }',
    '}',
    'system_account: SYS',
    '',
  );
  return lines.join('\n');
}
