/** A refusal reads in Chinese first: a heading by status, then the service's reason or its fields. */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { i18n as I18n } from 'i18next';
import { webI18n } from '../i18n/bundles.testing';
import { errorText, type Translate } from './error-text';
import { ApiError, errorOf } from './http';

let zh: Translate;
let en: Translate;

beforeAll(async () => {
  const tr =
    (i: I18n): Translate =>
    (key, options) =>
      i.t(key, options);
  zh = tr(await webI18n('zh-CN'));
  en = tr(await webI18n('en'));
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('API error → message', () => {
  test("a 409 shows the service's own reason under the state heading", async () => {
    const e = await errorOf(json(409, { statusCode: 409, message: '退单已超过时限 the return window has passed' }));
    expect(errorText(e, zh)).toEqual({ title: '当前状态不允许此操作', detail: '退单已超过时限 the return window has passed' });
    expect(errorText(e, en).title).not.toBe('当前状态不允许此操作');
  });

  test('a 400 with fields lists each field with its reason', async () => {
    const e = await errorOf(
      json(400, {
        statusCode: 400,
        message: ['phone must be a mobile number', 'content should not be empty'],
        errors: [
          { field: 'phone', reason: '须为手机号' },
          { field: 'content', reason: '不能为空' },
        ],
      }),
    );
    const r = errorText(e, zh);
    expect(r.title).toBe('填写的内容有误');
    expect(r.detail).toBe('phone：须为手机号；content：不能为空');
  });

  test('403, 5xx and an unknown 4xx each have a heading; a CSRF refusal asks for a refresh', () => {
    expect(errorText(new ApiError(403, null, 'unit mismatch'), zh)).toEqual({ title: '没有权限执行此操作', detail: 'unit mismatch' });
    expect(errorText(new ApiError(503, null, 'Service Unavailable'), zh).title).toBe('服务暂时不可用，请稍后再试');
    expect(errorText(new ApiError(502, null, 'Bad Gateway'), zh).title).toBe('服务暂时不可用，请稍后再试');
    expect(errorText(new ApiError(418, null, 'teapot'), zh).title).toBe('填写的内容有误');
    expect(errorText(new ApiError(403, 'csrf', 'bad token'), zh).title).toBe('页面已过期，请刷新后重试');
  });

  test("a role guard's 403 names the roles in the language: zh-CN first, English by the switch", async () => {
    const e = await errorOf(
      json(403, {
        statusCode: 403,
        code: 'role_required',
        roles: ['dispatcher', 'supervisor'],
        message: '需要以下角色之一：dispatcher、supervisor requires one of the roles: dispatcher, supervisor',
      }),
    );
    expect(errorText(e, zh)).toEqual({ title: '没有权限执行此操作', detail: '需要以下角色之一：派单员、督办员' });
    expect(errorText(e, en)).toEqual({ title: 'You may not do this', detail: 'This needs one of the roles: Dispatcher, Supervisor' });
  });

  test('a body that is not JSON keeps the status text; a network failure says so', async () => {
    const e = await errorOf(new Response('<html>gateway</html>', { status: 504, statusText: 'Gateway Timeout' }));
    expect(e).toBeInstanceOf(ApiError);
    expect(errorText(e, zh)).toEqual({ title: '服务暂时不可用，请稍后再试', detail: 'Gateway Timeout' });
    expect(errorText(new TypeError('Failed to fetch'), zh)).toEqual({ title: '网络连接失败，请检查网络后重试', detail: 'Failed to fetch' });
  });
});
