/**
 * The front door, end to end: the six built apps (test/harness), real Postgres and NATS, driven as a
 * browser would — a session cookie and the CSRF token, everything through the console's origin.
 */
import ExcelJS from 'exceljs';
import jwt from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';
import { TOTP, Secret } from 'otpauth';
import { SigningKeys } from '../../apps/console/src/keys/signing-keys';
import { DEMO_USERS } from '../../scripts/demo-users';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConsoleClient, DEMO_PASSWORD, freePort, Harness, sleep, startHarness } from '../harness';

jest.setTimeout(180_000);

let h: Harness;
let admin: ConsoleClient;
const NEW_PASSWORD = 'a-new-password-2026';
const login = (name: string, password = DEMO_PASSWORD, totp?: string) => ConsoleClient.login(h.consoleUrl, name, password, totp);

interface Account {
  id: string;
  loginName: string;
  state: string;
  locked: boolean;
  mobileMasked: string | null;
  unitId: string | null;
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await fn();
    if (ok(last)) return last;
    await sleep(300);
  }
  throw new Error(`${what}: not within ${ms} ms; last ${JSON.stringify(last)}`);
}

/** A new account made by the city administrator; the person sets their own password at first login. */
async function createAccount(over: Record<string, unknown> = {}): Promise<Account & { password: string }> {
  const password = `initial-${randomBytes(4).toString('hex')}`;
  const body = {
    loginName: `p.${randomBytes(3).toString('hex')}`,
    displayName: '测试人员',
    roles: ['handler'],
    districts: ['630104'],
    password,
    ...over,
  };
  const r = await admin.post<Account>('/admin/accounts', body);
  if (r.status !== 201) throw new Error(`create answered ${r.status}: ${JSON.stringify(r.body)}`);
  return { ...r.body, password: String(body.password) };
}

async function firstLogin(loginName: string, initial: string): Promise<ConsoleClient> {
  const c = await login(loginName, initial);
  const changed = await c.post('/auth/password', { currentPassword: initial, newPassword: NEW_PASSWORD });
  expect(changed.status).toBe(204);
  return c;
}

let idp: ChildProcess | undefined;
let idpUrl: string;
const OIDC_CLIENT = { id: 'jiesu-console', secret: 'a-test-client-secret-0123456789' };

/** The real OpenID Provider (test/console/oidc-provider.mjs) on a loopback port. */
async function startProvider(port: number, redirectUri: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      REDIRECT_URI: redirectUri,
      CLIENT_ID: OIDC_CLIENT.id,
      CLIENT_SECRET: OIDC_CLIENT.secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the OpenID provider did not start: ${out}`)), 20_000);
    const seen = (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready ')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code}): ${out}`)));
  });
  return child;
}

beforeAll(async () => {
  const idpPort = await freePort();
  idpUrl = `http://127.0.0.1:${idpPort}`;
  h = await startHarness({
    env: { LOCKOUT_THRESHOLD: '3', LOCKOUT_BASE_SECONDS: '300' },
    appEnv: {
      console: {
        OIDC_ISSUER_URL: idpUrl,
        OIDC_CLIENT_ID: OIDC_CLIENT.id,
        OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        OIDC_ALLOW_INSECURE: 'true',
        OIDC_LABEL: '西宁市统一身份认证',
      },
    },
    envFor: (urls) => ({ OIDC_REDIRECT_URL: `${urls.console}/auth/oidc/callback` }),
  });
  idp = await startProvider(idpPort, `${h.consoleUrl}/auth/oidc/callback`);
  admin = await login('admin');
});
afterAll(async () => {
  idp?.kill('SIGTERM');
  await h?.stop();
});

describe('password login', () => {
  it('logs in, knows the person, and logs out', async () => {
    const c = await login('operator');
    const s = await c.get<{ user: { loginName: string; roles: string[] }; csrfToken: string }>('/auth/session');
    expect(s.status).toBe(200);
    expect(s.body.user).toMatchObject({ loginName: 'operator', roles: ['operator'], mustChangePassword: false });
    expect(s.body.csrfToken).toBe(c.csrfToken);
    const cookie = (
      await fetch(`${h.consoleUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginName: 'operator', password: DEMO_PASSWORD }),
      })
    ).headers.getSetCookie()[0];
    expect(cookie).toMatch(/^jiesu_sid=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    expect((await c.post('/auth/logout', undefined, { 'x-csrf-token': 'wrong' })).body).toMatchObject({ code: 'csrf' });
    expect((await c.post('/auth/logout')).status).toBe(204);
    expect((await c.get('/auth/session')).body).toMatchObject({ statusCode: 401, code: 'no_session' });
  });

  it('gives one answer, in about the same time, for a wrong password and an unknown login name', async () => {
    const timed = async (loginName: string) => {
      const t0 = performance.now();
      const r = await new ConsoleClient(h.consoleUrl).post('/auth/login', { loginName, password: 'not-the-password' });
      return { r, ms: performance.now() - t0 };
    };
    const wrong = [await timed('analyst'), await timed('analyst')];
    const unknown = [await timed('nobody-here'), await timed('nobody-here')];
    expect(unknown[0].r.body).toEqual(wrong[0].r.body);
    expect(wrong[0].r).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    // an unknown name costs an argon2 verification too, and no refusal comes before the floor
    const min = (xs: { ms: number }[]) => Math.min(...xs.map((x) => x.ms));
    expect(min(unknown)).toBeGreaterThanOrEqual(590);
    expect(min(wrong)).toBeGreaterThanOrEqual(590);
    expect(Math.abs(min(unknown) - min(wrong))).toBeLessThan(200);
    await admin.post(`/admin/accounts/${await idOf('analyst')}/enable`); // clear the two failures
  });

  it('locks an account after repeated failures, with the same answer, until an administrator unlocks it', async () => {
    const p = await createAccount();
    await firstLogin(p.loginName, p.password);
    for (let i = 0; i < 3; i++) {
      expect(
        (await new ConsoleClient(h.consoleUrl).post('/auth/login', { loginName: p.loginName, password: 'wrong-password' })).status,
      ).toBe(401);
    }
    const locked = await new ConsoleClient(h.consoleUrl).post('/auth/login', { loginName: p.loginName, password: NEW_PASSWORD });
    expect(locked).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect((await admin.get<Account>(`/admin/accounts/${p.id}`)).body.locked).toBe(true);
    expect((await admin.post(`/admin/accounts/${p.id}/enable`)).status).toBe(200);
    await expect(login(p.loginName, NEW_PASSWORD)).resolves.toBeInstanceOf(ConsoleClient);
  });
});

async function idOf(loginName: string): Promise<string> {
  const r = await admin.get<{ items: Account[] }>(`/admin/accounts?q=${encodeURIComponent(loginName)}`);
  const a = r.body.items.find((x) => x.loginName === loginName);
  if (!a) throw new Error(`no account ${loginName}`);
  return a.id;
}

describe('TOTP', () => {
  it('is turned on with a first code, then asked for at every login; a code is used once', async () => {
    const c = await login('supervisor');
    const setup = await c.post<{ otpauthUrl: string; secret: string }>('/auth/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const totp = new TOTP({ secret: Secret.fromBase32(setup.body.secret), digits: 6, period: 30, algorithm: 'SHA1' });
    expect((await c.post('/auth/totp/enable', { code: '000000' === totp.generate() ? '111111' : '000000' })).body).toMatchObject({
      code: 'totp_required',
    });
    expect((await c.post('/auth/totp/enable', { code: totp.generate() })).status).toBe(200);

    const without = await new ConsoleClient(h.consoleUrl).post('/auth/login', { loginName: 'supervisor', password: DEMO_PASSWORD });
    expect(without).toMatchObject({ status: 401, body: { code: 'totp_required' } });
    const wrongPassword = await new ConsoleClient(h.consoleUrl).post('/auth/login', {
      loginName: 'supervisor',
      password: 'wrong-password',
      totp: '123456',
    });
    expect(wrongPassword.body).toMatchObject({ code: 'invalid_credentials' });
    // the code used to enable is spent: wait for the next one
    await sleep((totp.remaining() ?? 0) + 200);
    const code = totp.generate();
    await expect(login('supervisor', DEMO_PASSWORD, code)).resolves.toBeInstanceOf(ConsoleClient);
    const replay = await new ConsoleClient(h.consoleUrl).post('/auth/login', {
      loginName: 'supervisor',
      password: DEMO_PASSWORD,
      totp: code,
    });
    expect(replay.body).toMatchObject({ code: 'totp_required' });
  });
});

describe('an administrator adds a person', () => {
  let lift: { id: string; unitId: string };
  let other: { id: string; unitId: string };
  let person: Account & { password: string };
  let personClient: ConsoleClient;

  beforeAll(async () => {
    const operator = await login('operator');
    const submit = async (categoryCode: string, content: string, phone: string) => {
      const r = await operator.post<{ id: string }>('/api/intake/tickets', {
        channel: 'phone_12345',
        requestType: 'complaint',
        categoryCode,
        content,
        citizen: { name: '刘晓梅', phone },
        location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
      });
      if (r.status !== 201) throw new Error(`submit answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body.id;
    };
    const ids = [
      await submit('lift', '电梯经常停运', '13897005001'),
      await submit('noise', '楼下台球室每晚营业到凌晨，噪音扰民', '13897005002'),
    ];
    const city = await login('city-dispatcher');
    const [a, b] = await Promise.all(
      ids.map((id) =>
        eventually(
          () => city.get<{ ticketId: string; unitId: string | null; state: string }>(`/api/dispatch/orders/${id}`),
          (r) => r.status === 200 && !!r.body.unitId,
          `order ${id} dispatched`,
        ),
      ),
    );
    lift = { id: ids[0], unitId: a.body.unitId! };
    other = { id: ids[1], unitId: b.body.unitId! };
    expect(lift.unitId).not.toBe(other.unitId);
  });

  it('creates an account with which the person logs in and sees only their unit’s orders', async () => {
    person = await createAccount({ unitId: lift.unitId, mobile: '13912345678' });
    expect(person).toMatchObject({ state: 'active', unitId: lift.unitId, mobileMasked: '139****5678' });
    const first = await login(person.loginName, person.password);
    expect((await first.get('/api/dispatch/orders')).body).toMatchObject({ statusCode: 403, code: 'password_change_required' });
    personClient = await firstLogin(person.loginName, person.password);
    const list = await personClient.get<{ ticketId: string; unitId: string }[]>('/api/dispatch/orders');
    expect(list.status).toBe(200);
    expect(list.body.map((o) => o.ticketId)).toContain(lift.id);
    expect(list.body.map((o) => o.ticketId)).not.toContain(other.id);
    expect(list.body.every((o) => o.unitId === lift.unitId)).toBe(true);
    expect((await personClient.get(`/api/dispatch/orders/${other.id}`)).status).toBe(404);
  });

  it('audits the change without the plaintext mobile', async () => {
    const audit = await admin.get<{ action: string; before: unknown; after: { mobileMasked: string }; actorId: string }[]>(
      `/admin/audit?targetId=${person.id}`,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.map((e) => e.action)).toEqual(expect.arrayContaining(['account.create', 'account.change-password']));
    const created = audit.body.find((e) => e.action === 'account.create')!;
    expect(created.before).toBeNull();
    expect(created.after.mobileMasked).toBe('139****5678');
    expect(JSON.stringify(audit.body)).not.toContain('13912345678');
  });

  it('ends a disabled person’s session at once', async () => {
    expect((await personClient.get('/auth/session')).status).toBe(200);
    const r = await admin.post<Account>(`/admin/accounts/${person.id}/disable`);
    expect(r.body.state).toBe('disabled');
    expect((await personClient.get('/auth/session')).status).toBe(401);
    expect((await personClient.get('/api/dispatch/orders')).status).toBe(401);
    const again = await new ConsoleClient(h.consoleUrl).post('/auth/login', { loginName: person.loginName, password: NEW_PASSWORD });
    expect(again.body).toMatchObject({ code: 'invalid_credentials' });
  });
});

describe('a district administrator', () => {
  let districtAdmin: ConsoleClient;
  beforeAll(async () => {
    const a = await createAccount({ roles: ['admin'], districts: ['630104'] });
    districtAdmin = await firstLogin(a.loginName, a.password);
  });

  it('manages the people of their district', async () => {
    const r = await districtAdmin.post<Account>('/admin/accounts', {
      loginName: `cx.${randomBytes(3).toString('hex')}`,
      displayName: '城西人员',
      roles: ['handler'],
      districts: ['630104'],
    });
    expect(r.status).toBe(201);
    expect((await districtAdmin.patch(`/admin/accounts/${r.body.id}`, { displayName: '城西人员甲' })).status).toBe(200);
  });

  it('is refused (403) outside their districts', async () => {
    const chengbei = await idOf('dispatcher-chengbei');
    const create = await districtAdmin.post('/admin/accounts', {
      loginName: 'cb.someone',
      displayName: '城北人员',
      roles: ['handler'],
      districts: ['630105'],
    });
    expect(create).toMatchObject({ status: 403, body: { code: 'out_of_scope' } });
    expect((await districtAdmin.get(`/admin/accounts/${chengbei}`)).status).toBe(403);
    expect((await districtAdmin.patch(`/admin/accounts/${chengbei}`, { displayName: 'x' })).status).toBe(403);
    expect((await districtAdmin.post(`/admin/accounts/${chengbei}/disable`)).status).toBe(403);
    expect((await districtAdmin.post(`/admin/accounts/${chengbei}/reset-password`, { password: 'whatever-long-1' })).status).toBe(403);
    const cityWide = await districtAdmin.post('/admin/accounts', {
      loginName: 'cw.someone',
      displayName: '全市人员',
      roles: ['handler'],
      districts: ['*'],
    });
    expect(cityWide.status).toBe(403);
  });

  it('is refused by the administration for a non-administrator', async () => {
    const operator = await login('operator');
    expect((await operator.get('/admin/accounts')).status).toBe(403);
  });
});

describe('bulk import', () => {
  const tag = randomBytes(2).toString('hex');
  const csv = [
    '登录名,姓名,手机,角色,辖区,初始密码',
    `imp${tag}.a,导入甲,13900000001,handler,630104,initial-password-1`,
    `imp${tag}.b,导入乙,,dispatcher,630104，630105,initial-password-2`,
    `imp${tag}.c,导入丙,12345,emperor,630104,initial-password-3`,
    `imp${tag}.a,导入甲重复,,handler,630104,initial-password-4`,
    `imp${tag}.d,导入丁,,operator,*,short`,
  ].join('\n');
  const post = (query: string, body: Buffer | string, type = 'text/csv') =>
    admin.raw('POST', `/admin/accounts/import${query}`, { body, headers: { 'content-type': type } });
  const listed = async () => (await admin.get<{ total: number }>(`/admin/accounts?q=imp${tag}`)).body.total;

  it('reports every bad row and writes nothing without confirmation', async () => {
    const dry = await post('?dryRun=true', csv);
    const report = (await dry.json()) as {
      outcome: string;
      valid: number;
      invalid: number;
      rows: { row: number; ok: boolean; errors: { field: string }[] }[];
    };
    expect(report).toMatchObject({ outcome: 'dry-run', total: 5, valid: 2, invalid: 3 });
    const byRow = new Map(report.rows.map((r) => [r.row, r]));
    expect(byRow.get(4)!.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['mobile', 'roles']));
    expect(byRow.get(5)!.errors).toEqual([expect.objectContaining({ field: 'loginName', reason: 'duplicate of row 2' })]);
    expect(byRow.get(6)!.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect(await listed()).toBe(0);
    const refused = (await (await post('', csv)).json()) as { outcome: string; imported: number };
    expect(refused).toMatchObject({ outcome: 'refused', imported: 0 });
    expect(await listed()).toBe(0);
  });

  it('imports the good rows when the operator confirms', async () => {
    const done = (await (await post('?confirm=true', csv)).json()) as { outcome: string; imported: number };
    expect(done).toMatchObject({ outcome: 'imported', imported: 2 });
    expect(await listed()).toBe(2);
    await expect(login(`imp${tag}.b`, 'initial-password-2')).resolves.toBeInstanceOf(ConsoleClient);
  });

  it('reads xlsx too', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(['loginName', 'displayName', 'roles', 'districts']);
    ws.addRow([`imp${tag}.x`, '表格导入', 'analyst', '*']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const r = (await (await post('', file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).json()) as {
      outcome: string;
      imported: number;
    };
    expect(r).toMatchObject({ outcome: 'imported', imported: 1 });
  });
});

describe('the /api proxy', () => {
  let operator: ConsoleClient;
  let keys: SigningKeys;
  beforeAll(async () => {
    operator = await login('operator');
    keys = new SigningKeys(JSON.parse(h.env.CONSOLE_SIGNING_KEYS));
  });
  const direct = (service: string, path: string, aud: string, init: RequestInit = {}) =>
    fetch(`${h.urls[service as 'intake']}${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        authorization: `Bearer ${keys.sign({ ...DEMO_USERS.operator, id: 'op-direct' }, aud, 'jiesu-console', 60)}`,
      },
    });

  it('passes a service’s 400 and its body through unchanged', async () => {
    const bad = { channel: 'carrier_pigeon', content: '' };
    const viaConsole = await operator.post('/api/intake/tickets', bad);
    const straight = await direct('intake', '/tickets', 'intake', {
      method: 'POST',
      body: JSON.stringify(bad),
      headers: { 'content-type': 'application/json' },
    });
    expect(viaConsole.status).toBe(400);
    expect(straight.status).toBe(400);
    expect(viaConsole.body).toEqual(await straight.json());
  });

  it('streams an attachment up and down unchanged', async () => {
    const t = await operator.post<{ id: string }>('/api/intake/tickets', {
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'lift',
      content: '电梯停运，附现场照片',
      citizen: { name: '刘晓梅', phone: '13897005009' },
      location: { address: '西宁市城西区胜利路12号', districtCode: '630104' },
    });
    expect(t.status).toBe(201);
    const bytes = randomBytes(700 * 1024);
    const up = await operator.raw('POST', `/api/intake/tickets/${t.body.id}/attachments?fileName=${encodeURIComponent('现场照片.png')}`, {
      body: bytes,
      headers: { 'content-type': 'image/png' },
    });
    expect(up.status).toBe(201);
    const a = (await up.json()) as { id: string };
    const down = await operator.raw('GET', `/api/intake/tickets/${t.body.id}/attachments/${a.id}`);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('image/png');
    expect(down.headers.get('content-disposition')).toContain(encodeURIComponent('现场照片.png'));
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('signs each call for the one service called: a token for intake is refused by dispatch', async () => {
    const captured = keys.sign(DEMO_USERS.cityDispatcher, 'intake', 'jiesu-console', 60);
    expect(jwt.decode(captured, { complete: true })!.header).toMatchObject({ alg: 'ES256', kid: 'harness-1' });
    const refused = await fetch(`${h.urls.dispatch}/orders`, { headers: { authorization: `Bearer ${captured}` } });
    expect(refused.status).toBe(401);
    const right = keys.sign(DEMO_USERS.cityDispatcher, 'dispatch', 'jiesu-console', 60);
    expect((await fetch(`${h.urls.dispatch}/orders`, { headers: { authorization: `Bearer ${right}` } })).status).toBe(200);
    const jwks = (await (await fetch(`${h.consoleUrl}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: 'harness-1', alg: 'ES256', kty: 'EC' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('needs a session and the CSRF token', async () => {
    expect((await new ConsoleClient(h.consoleUrl).get('/api/dispatch/orders')).body).toMatchObject({ code: 'no_session' });
    expect((await operator.post('/api/intake/tickets', {}, { 'x-csrf-token': 'nope' })).body).toMatchObject({ code: 'csrf' });
    expect((await operator.get('/api/nowhere/x')).status).toBe(404);
  });
});

describe('single sign-on (OpenID Connect, a real provider)', () => {
  /** A browser at the provider: its own cookies, the development login form, the consent form. */
  async function throughProvider(browser: ConsoleClient, loginName: string, returnTo = '/orders?tab=mine'): Promise<Response> {
    const idpCookies = new Map<string, string>();
    const keep = (res: Response) => {
      for (const sc of res.headers.getSetCookie()) {
        const [pair] = sc.split(';');
        const i = pair.indexOf('=');
        idpCookies.set(pair.slice(0, i), pair.slice(i + 1));
      }
    };
    const atIdp = async (url: string, init: RequestInit = {}) => {
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie: [...idpCookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      keep(res);
      return res;
    };
    const start = await browser.raw('GET', `/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`);
    expect(start.status).toBe(302);
    let location = start.headers.get('location')!;
    expect(location.startsWith(idpUrl)).toBe(true);
    const authUrl = new URL(location);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('state')).toBeTruthy();
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();
    for (let hop = 0; hop < 12; hop++) {
      if (location.startsWith(h.consoleUrl)) return browser.raw('GET', location.slice(h.consoleUrl.length));
      const res = await atIdp(new URL(location, idpUrl).toString());
      if (res.status >= 300 && res.status < 400) {
        location = new URL(res.headers.get('location')!, idpUrl).toString();
        continue;
      }
      const html = await res.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`unexpected page at the provider (${res.status}): ${html.slice(0, 500)}`);
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login: loginName, password: 'any' } : { prompt });
      const posted = await atIdp(new URL(action, idpUrl).toString(), {
        method: 'POST',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      location = new URL(posted.headers.get('location')!, idpUrl).toString();
    }
    throw new Error('too many redirects at the provider');
  }

  it('offers the provider on the login page', async () => {
    expect((await new ConsoleClient(h.consoleUrl).get('/auth/config')).body).toEqual({
      oidcEnabled: true,
      oidcLabel: '西宁市统一身份认证',
    });
  });

  it('logs a person with an account in, and sends them back where they were', async () => {
    const c = new ConsoleClient(h.consoleUrl);
    const back = await throughProvider(c, 'handler-street');
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/orders?tab=mine');
    const s = await c.get<{ user: { loginName: string } }>('/auth/session');
    expect(s.status).toBe(200);
    expect(s.body.user.loginName).toBe('handler-street');
    expect((await c.get('/api/dispatch/orders')).status).toBe(200);
  });

  it('refuses a person the provider knows but who has no account (none is created)', async () => {
    const c = new ConsoleClient(h.consoleUrl);
    const back = await throughProvider(c, 'stranger.somebody');
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/login?error=no_account');
    expect(c.hasCookie).toBe(false);
    const r = await admin.get<{ total: number }>('/admin/accounts?q=stranger');
    expect(r.body.total).toBe(0);
  });

  it('refuses a callback whose state it did not issue, and an open redirect', async () => {
    const c = new ConsoleClient(h.consoleUrl);
    const forged = await c.raw('GET', '/auth/oidc/callback?code=abc&state=forged');
    expect(forged.headers.get('location')).toBe('/login?error=sso_state');
    const back = await throughProvider(c, 'handler-street', 'https://evil.example/');
    expect(back.headers.get('location')).toBe('/');
  });
});
