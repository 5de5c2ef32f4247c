import { csrfAllows, newCsrfToken } from './csrf';

describe('CSRF check', () => {
  const token = newCsrfToken();

  it('lets reads through without a token', () => {
    expect(csrfAllows('GET', undefined, token)).toBe(true);
    expect(csrfAllows('head', undefined, token)).toBe(true);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('requires the session token on %s', (method) => {
    expect(csrfAllows(method, undefined, token)).toBe(false);
    expect(csrfAllows(method, '', token)).toBe(false);
    expect(csrfAllows(method, newCsrfToken(), token)).toBe(false);
    expect(csrfAllows(method, token.slice(1), token)).toBe(false);
    expect(csrfAllows(method, [token, token], token)).toBe(false);
    expect(csrfAllows(method, token, token)).toBe(true);
  });

  it('makes a fresh token each time', () => {
    expect(newCsrfToken()).not.toBe(newCsrfToken());
    expect(newCsrfToken()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
