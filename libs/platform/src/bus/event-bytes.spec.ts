import 'reflect-metadata';
import { EventFactory } from '../../../../bench/lib/events';
import { decodeUtf8Strict, parseEvent, validateEvent } from './event-validation';

/** What parseEventBytes decoded with until it used isUtf8 + Buffer#toString: the WHATWG decoder, fatal. */
function reference(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

describe('decodeUtf8Strict', () => {
  const cases: [string, Uint8Array][] = [
    ['ASCII JSON', new TextEncoder().encode('{"a":"b"}')],
    ['Chinese', new TextEncoder().encode('{"content":"市民来电反映噪音扰民"}')],
    ['emoji (4 bytes)', new TextEncoder().encode('{"a":"😀"}')],
    ['empty', new Uint8Array(0)],
    ['byte-order mark first', hex('efbbbf7b7d')],
    ['byte-order mark only', hex('efbbbf')],
    ['two byte-order marks', hex('efbbbfefbbbf7b7d')],
    ['byte-order mark inside', hex('7befbbbf7d')],
    ['a lone continuation byte', hex('7b807d')],
    ['truncated sequence', hex('7be4b8')],
    ['overlong slash', hex('c0af')],
    ['overlong NUL', hex('c080')],
    ['encoded surrogate (CESU)', hex('eda080')],
    ['above U+10FFFF', hex('f4908080')],
    ['0xFF', hex('ff')],
    ['NUL byte', hex('7b007d')],
    ['max code point', hex('f48fbfbf')],
  ];
  it.each(cases)('%s: the same text, or refused alike', (_name, bytes) => {
    expect(decodeUtf8Strict(bytes)).toBe(reference(bytes));
  });

  it('reads a view into a larger buffer at its own offset', () => {
    const big = new TextEncoder().encode('xx{"a":"市"}yy');
    const view = big.subarray(2, big.length - 2);
    expect(decodeUtf8Strict(view)).toBe('{"a":"市"}');
    const bom = hex('00efbbbf7b7d00').subarray(1, 6);
    expect(decodeUtf8Strict(bom)).toBe(reference(bom));
  });

  it('agrees with the WHATWG decoder on random bytes', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 5000; n++) {
      const len = 1 + (n % 12);
      // Mostly bytes near the UTF-8 boundaries, so that valid and invalid sequences both come up.
      const bytes = Uint8Array.from(
        { length: len },
        () => [0x7b, 0xc2, 0xe4, 0xed, 0xef, 0xf0, 0xf4, 0x80, 0xbf, 0xa0, 0xbb][rnd() % 11] ^ (rnd() % 3 === 0 ? rnd() & 0x0f : 0),
      );
      expect(decodeUtf8Strict(bytes)).toBe(reference(bytes));
    }
  });
});

describe('parseEvent skips the walk for unstorable strings only where the text shows there can be none', () => {
  const factory = new EventFactory('t', 3);
  const accepted = factory.nextOrder().find((e) => e.body.includes('"ticket.accepted.v1"'))!.body;
  const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  const cases: [string, string][] = [
    ['as it is', accepted],
    ['an escaped NUL in the content', accepted.replace('"content":"', '"content":"\\u0000')],
    // (A raw NUL cannot be in a JSON string at all: JSON.parse refuses it, malformed_json.)
    ['an escaped lone surrogate', accepted.replace('"content":"', '"content":"\\ud800')],
    ['a raw lone surrogate', accepted.replace('"content":"', '"content":"\ud800')],
    ['an escaped surrogate pair (an emoji)', accepted.replace('"content":"', '"content":"\\ud83d\\ude00')],
    ['a raw emoji', accepted.replace('"content":"', '"content":"😀')],
    ['an escaped NUL in a key', accepted.replace('"content":"', '"x\\u0000":1,"content":"')],
    ['an escaped NUL in the envelope', accepted.replace('"producer":"', '"producer":"\\u0000')],
    ['an escaped backslash before u', accepted.replace('"content":"', '"content":"C:\\\\users')],
    ['nested 64 deep', accepted.replace('"content":"', `"extra":${nested(63)},"content":"`)],
    ['nested 65 deep', accepted.replace('"content":"', `"extra":${nested(64)},"content":"`)],
    ['nested 70 deep', accepted.replace('"content":"', `"extra":${nested(70)},"content":"`)],
  ];
  it.each(cases)('%s: what validateEvent (which always walks) answers', (_name, body) => {
    expect(parseEvent(body)).toEqual(validateEvent(JSON.parse(body)));
  });
});
