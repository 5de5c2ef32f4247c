/**
 * Attachments and supplements on an order, against the five real services: upload and download a
 * file (bytes and type intact), the list, the size and type limits (nothing stored when refused),
 * district scope, and a supplement stored and published as ticket.supplemented.v1.
 */
import { DateTime } from 'luxon';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEMO_USERS } from '../../scripts/demo-users';
import { bootPlatform, eventually, Platform } from './platform';
import { testSigner } from './test-tokens';

jest.setTimeout(120_000);

const MAX = 65536;
const dir = mkdtempSync(join(tmpdir(), 'jiesu-attachments-'));
let p: Platform;
let ticketId: string;

const today = DateTime.now().setZone('Asia/Shanghai');
const period = `from=${today.minus({ days: 1 }).toISODate()}&to=${today.plus({ days: 1 }).toISODate()}&districtCode=630104`;

interface AttachmentView {
  id: string;
  ticketId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
}

beforeAll(async () => {
  p = await bootPlatform({ extraEnv: { intake: { ATTACHMENT_DIR: dir, ATTACHMENT_MAX_BYTES: String(MAX) } } });
  const res = await p
    .as('operator', 'intake')
    .post('/tickets', {
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'heating',
      content: '小区暖气不热，室温只有十二度',
      citizen: { name: '李秀英', phone: '13997002222' },
      location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
    })
    .expect(201);
  ticketId = (res.body as { id: string }).id;
});

afterAll(async () => {
  await p?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bearer = (user: keyof typeof DEMO_USERS) => `Bearer ${testSigner.mint(DEMO_USERS[user], 'intake')}`;

const upload = (body: Buffer, contentType: string, fileName = '现场照片.png', id = ticketId, user: keyof typeof DEMO_USERS = 'operator') =>
  request(p.apps.intake.getHttpServer())
    .post(`/tickets/${id}/attachments?fileName=${encodeURIComponent(fileName)}`)
    .set('Authorization', bearer(user))
    .set('Content-Type', contentType)
    .send(body);

/** Raw bytes of a response, whatever its type. */
const download = (user: keyof typeof DEMO_USERS, id: string, attachmentId: string) =>
  request(p.apps.intake.getHttpServer())
    .get(`/tickets/${id}/attachments/${attachmentId}`)
    .set('Authorization', bearer(user))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

const list = async (user: keyof typeof DEMO_USERS = 'operator') =>
  (await p.as(user, 'intake').get(`/tickets/${ticketId}/attachments`).expect(200)).body as AttachmentView[];

/** Every file under the attachment directory (temporary ones included). */
function filesOnDisk(root = dir): string[] {
  return readdirSync(root).flatMap((n) => {
    const f = join(root, n);
    return statSync(f).isDirectory() ? filesOnDisk(f) : [f];
  });
}

describe('attachments', () => {
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(20_000)]);
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]);
  let first: AttachmentView;

  it('stores an upload and returns its size and sha256', async () => {
    const res = await upload(png, 'image/png').expect(201);
    first = res.body as AttachmentView;
    expect(first).toMatchObject({
      ticketId,
      fileName: '现场照片.png',
      contentType: 'image/png',
      size: png.length,
      sha256: createHash('sha256').update(png).digest('hex'),
      uploadedBy: DEMO_USERS.operator.id,
    });
    expect(filesOnDisk()).toEqual([join(dir, ticketId, first.id)]);
  });

  it('downloads the same bytes with the stored content type', async () => {
    const res = await download('operator', ticketId, first.id).expect(200);
    expect(res.headers['content-type']).toMatch(/^image\/png/);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('现场照片.png'));
    expect(Buffer.compare(res.body as Buffer, png)).toBe(0);
  });

  it('lists the files on the order, also to a dispatcher of its district', async () => {
    const res = await upload(pdf, 'application/pdf; charset=binary', '告知书.pdf').expect(201);
    const second = res.body as AttachmentView;
    expect(second.contentType).toBe('application/pdf');
    expect((await list()).map((a) => [a.id, a.fileName, a.size])).toEqual([
      [first.id, '现场照片.png', png.length],
      [second.id, '告知书.pdf', pdf.length],
    ]);
    expect((await list('dispatcher')).length).toBe(2);
    const got = await download('dispatcher', ticketId, second.id).expect(200);
    expect(got.headers['content-type']).toMatch(/^application\/pdf/);
    expect(Buffer.compare(got.body as Buffer, pdf)).toBe(0);
  });

  it('accepts a file of exactly the limit', async () => {
    const res = await upload(randomBytes(MAX), 'audio/amr', '通话录音.amr').expect(201);
    expect((res.body as AttachmentView).size).toBe(MAX);
  });

  it('refuses a file over the limit, stating it, and stores nothing', async () => {
    const before = await list();
    const disk = filesOnDisk();
    const rows = Number((await p.db.query<{ n: string }>('SELECT count(*) AS n FROM intake.attachment')).rows[0].n);
    const res = await upload(randomBytes(MAX + 1), 'image/jpeg', '太大.jpg').expect(413);
    expect((res.body as { message: string }).message).toContain('64 KiB (65536 bytes)');
    expect(await list()).toEqual(before);
    expect(filesOnDisk()).toEqual(disk);
    expect(Number((await p.db.query<{ n: string }>('SELECT count(*) AS n FROM intake.attachment')).rows[0].n)).toBe(rows);
  });

  it('refuses an oversized body sent without a Content-Length (chunked), leaving no file', async () => {
    const before = await list();
    const disk = filesOnDisk();
    const body = randomBytes(MAX * 3);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(p.apps.intake.getHttpServer())
        .post(`/tickets/${ticketId}/attachments?fileName=big.webp`)
        .set('Authorization', bearer('operator'))
        .set('Content-Type', 'image/webp')
        .set('Transfer-Encoding', 'chunked');
      req.write(body.subarray(0, MAX));
      req.write(body.subarray(MAX));
      req.end((err, r) => (r ? resolve({ status: r.status, body: r.text }) : reject(err instanceof Error ? err : new Error(String(err)))));
    }).catch((e: Error) => ({ status: 0, body: e.message }));
    // The server answers before the client has finished sending: the answer, or a reset connection.
    if (res.status) {
      expect(res.status).toBe(413);
      expect(res.body).toContain('65536 bytes');
    }
    expect(await list()).toEqual(before);
    expect(filesOnDisk()).toEqual(disk);
  });

  it('refuses a type not allowed, naming it', async () => {
    const res = await upload(Buffer.from('MZ\x90\x00'), 'application/x-msdownload', 'setup.exe').expect(400);
    expect((res.body as { message: string }).message).toContain('application/x-msdownload');
    const text = await upload(Buffer.from('hello'), 'text/plain', 'a.txt').expect(400);
    expect((text.body as { message: string }).message).toContain('text/plain');
  });

  it('refuses a missing or unsafe file name and an empty file', async () => {
    await request(p.apps.intake.getHttpServer())
      .post(`/tickets/${ticketId}/attachments`)
      .set('Authorization', bearer('operator'))
      .set('Content-Type', 'image/png')
      .send(png)
      .expect(400);
    await upload(png, 'image/png', '../../etc/passwd').expect(400);
    await upload(Buffer.alloc(0), 'image/png', 'empty.png').expect(400);
  });

  it('hides the order from another district and from strangers; only operators upload', async () => {
    await p.as('dispatcherChengbei', 'intake').get(`/tickets/${ticketId}/attachments`).expect(404);
    await download('dispatcherChengbei', ticketId, first.id).expect(404);
    await download('operator', ticketId, '00000000-0000-4000-8000-000000000000').expect(404);
    await p.as('operator', 'intake').get(`/tickets/00000000-0000-4000-8000-000000000000/attachments`).expect(404);
    await upload(png, 'image/png', 'x.png', '00000000-0000-4000-8000-000000000000').expect(404);
    await upload(png, 'image/png', 'x.png', ticketId, 'dispatcher').expect(403);
    await p.http('intake').get(`/tickets/${ticketId}/attachments`).expect(401);
  });
});

describe('supplements', () => {
  it('stores a supplement and publishes ticket.supplemented.v1', async () => {
    const text = '市民补充：楼道暖气也不热，已持续三天';
    const res = await p.as('operator', 'intake').post(`/tickets/${ticketId}/supplements`, { text }).expect(201);
    expect(res.body).toMatchObject({ ticketId, text, createdBy: DEMO_USERS.operator.id });

    const listed = await p.as('dispatcher', 'intake').get(`/tickets/${ticketId}/supplements`).expect(200);
    expect((listed.body as { text: string }[]).map((s) => s.text)).toEqual([text]);

    const outbox = await p.db.query<{ envelope: { data: { text: string; supplementedAt: string }; district: string } }>(
      `SELECT envelope FROM intake.outbox WHERE type = 'ticket.supplemented.v1' AND envelope->>'ticketId' = $1`,
      [ticketId],
    );
    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0].envelope.data).toEqual({ text, supplementedAt: (res.body as { at: string }).at });
    expect(outbox.rows[0].envelope.district).toBe('630104');

    // dispatch puts it on the order's timeline, with the words: the unit reads it on the order page
    const order = await eventually<{ timeline: { action: string; at: string; actor: string; data: Record<string, unknown> }[] }>(
      () => p.as('dispatcher', 'dispatch').get(`/orders/${ticketId}`),
      (o) => (o.timeline ?? []).some((e) => e.action === 'supplemented'),
      'the supplement on the order timeline in dispatch',
    );
    const entries = order.timeline.filter((e) => e.action === 'supplemented');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'system:intake', data: { remark: text } });
    expect(new Date(entries[0].at).toISOString()).toBe((res.body as { at: string }).at);

    const rates = await eventually<{ events: Record<string, number> }>(
      () => p.as('analyst', 'analytics').get(`/rates?${period}`),
      (b) => b.events?.['ticket.supplemented.v1'] === 1,
      'analytics to count the ticket.supplemented.v1 event',
    );
    expect(rates.events['ticket.supplemented.v1']).toBe(1);
  });

  it('refuses a blank, missing or too long text, and nothing is published', async () => {
    const sup = () => p.as('operator', 'intake');
    await sup().post(`/tickets/${ticketId}/supplements`, {}).expect(400);
    await sup().post(`/tickets/${ticketId}/supplements`, { text: '' }).expect(400);
    await sup().post(`/tickets/${ticketId}/supplements`, { text: '   ' }).expect(400);
    const long = await sup()
      .post(`/tickets/${ticketId}/supplements`, { text: '长'.repeat(4001) })
      .expect(400);
    expect((long.body as { message: string }).message).toContain('4000');
    await sup().post(`/tickets/${ticketId}/supplements`, { text: 'ok', extra: 1 }).expect(400);
    const n = await p.db.query(`SELECT 1 FROM intake.outbox WHERE type = 'ticket.supplemented.v1'`);
    expect(n.rowCount).toBe(1);
  });

  it('is operator-only and district-scoped', async () => {
    await p.as('dispatcher', 'intake').post(`/tickets/${ticketId}/supplements`, { text: '补充' }).expect(403);
    await p.as('dispatcherChengbei', 'intake').get(`/tickets/${ticketId}/supplements`).expect(404);
    await p.as('operator', 'intake').post(`/tickets/00000000-0000-4000-8000-000000000000/supplements`, { text: '补充' }).expect(404);
  });
});
