import { createHmac } from 'node:crypto';
import { RobotChannel } from './channels';

describe('DingTalk signing', () => {
  it('signs timestamp + "\\n" + secret with HMAC-SHA256 and adds timestamp and sign to the URL', () => {
    const secret = 'SEC000000000000000000000000000000000000000000000000000000000000000';
    const ts = 1_700_000_000_000;
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    const url = new URL(
      RobotChannel.signedUrl({ provider: 'dingtalk' }, 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret, ts),
    );
    expect(url.searchParams.get('access_token')).toBe('abc');
    expect(url.searchParams.get('timestamp')).toBe(String(ts));
    expect(url.searchParams.get('sign')).toBe(expected);
    // URL-encoded on the wire (a base64 sign has + / =)
    expect(url.toString()).toContain(`sign=${encodeURIComponent(expected)}`);
  });

  it('leaves a WeCom URL (the key is in it) as it is', () => {
    const u = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6';
    expect(RobotChannel.signedUrl({ provider: 'wecom' }, u, null, 1)).toBe(u);
  });
});
