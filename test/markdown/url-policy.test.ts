import { isAllowedImageUrl, isAllowedLinkUrl } from '../../src/markdown/url-policy';

describe('isAllowedLinkUrl', () => {
  test.each([
    ['https://example.com/a?b=1', true],
    ['http://example.com', true],
    ['mailto:someone@example.com', true],
    ['HTTPS://EXAMPLE.COM', true],
    ['javascript:alert(1)', false],
    ['JaVaScRiPt:alert(1)', false],
    [' javascript:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['\u0001javascript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['vbscript:msgbox', false],
    ['file:///etc/passwd', false],
    ['ftp://example.com', false],
    ['//evil.com', false],
    ['\\\\evil.com', false],
    ['/relative/path', false],
    ['#anchor', false],
    ['', false],
  ])('when the URL is %j, then allowed is %s', (url, allowed) => {
    expect(isAllowedLinkUrl(url)).toBe(allowed);
  });
});

describe('isAllowedImageUrl', () => {
  const hosts = ['i.imgur.com'];
  test.each([
    ['https://i.imgur.com/a.png', hosts, true],
    ['http://I.IMGUR.COM/a.png', hosts, true],
    ['https://i.imgur.com.evil.com/a.png', hosts, false],
    ['https://user@i.imgur.com/a.png', hosts, true],
    ['https://evil.com/a.png', hosts, false],
    ['data:image/png;base64,AAAA', hosts, false],
    ['//i.imgur.com/a.png', hosts, false],
    ['javascript:alert(1)', hosts, false],
    ['https://i.imgur.com/a.png', [], false],
  ])('when the URL is %j and the hosts are %j, then allowed is %s', (url, allowedHosts, allowed) => {
    expect(isAllowedImageUrl(url, allowedHosts)).toBe(allowed);
  });
});
