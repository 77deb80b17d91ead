import { describe, expect, it } from 'vitest';
import { consoleUrl } from '../../core/report/html/console-link.ts';

describe('consoleUrl', () => {
  it.each([
    ['arn:aws:s3:::legacy-data', 'https://s3.console.aws.amazon.com/s3/buckets/legacy-data'],
    ['arn:aws:iam::123456789012:user/ops/bob', 'https://console.aws.amazon.com/iam/home#/users/details/bob'],
    [
      'arn:aws:iam::123456789012:role/deployer',
      'https://console.aws.amazon.com/iam/home#/roles/details/deployer',
    ],
    ['arn:aws:iam::123456789012:root', 'https://console.aws.amazon.com/iam/home#/security_credentials'],
    ['<root_account>', 'https://console.aws.amazon.com/iam/home#/security_credentials'],
    [
      'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab',
      'https://eu-west-1.console.aws.amazon.com/kms/home?region=eu-west-1#/kms/keys/1234abcd-12ab',
    ],
    [
      'arn:aws:cloudtrail:us-east-1:123456789012:trail/main',
      'https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/trails/arn%3Aaws%3Acloudtrail%3Aus-east-1%3A123456789012%3Atrail%2Fmain',
    ],
    [
      'arn:aws:lambda:eu-central-1:123456789012:function:exporter',
      'https://eu-central-1.console.aws.amazon.com/lambda/home?region=eu-central-1#/functions/exporter',
    ],
    [
      'arn:aws:config:us-east-1:123456789012:configuration-recorder',
      'https://us-east-1.console.aws.amazon.com/config/home?region=us-east-1#/settings',
    ],
  ])('AWS %s → its console page (region from the ARN)', (resource, url) => {
    expect(consoleUrl(resource, 'aws')).toBe(url);
  });

  it('gives no AWS link it cannot build: other partitions, unknown services, bare names', () => {
    expect(consoleUrl('arn:aws-cn:s3:::bucket', 'aws')).toBeUndefined();
    expect(consoleUrl('arn:aws:madeup:us-east-1:123456789012:thing/x', 'aws')).toBeUndefined();
    expect(consoleUrl('arn:aws:kms::123456789012:key/x', 'aws')).toBeUndefined();
    expect(consoleUrl('bob', 'aws')).toBeUndefined();
  });

  it.each([
    ['acme', 'https://github.com/acme'],
    ['acme/web', 'https://github.com/acme/web'],
    ['acme/web#42', 'https://github.com/acme/web/pull/42'],
    ['acme/members/octocat', 'https://github.com/orgs/acme/people?query=octocat'],
  ])('GitHub %s → %s', (resource, url) => {
    expect(consoleUrl(resource, 'github')).toBe(url);
  });

  it('refuses GitHub ids that are not plain names (no javascript:, no other host)', () => {
    expect(consoleUrl('javascript:alert(1)', 'github')).toBeUndefined();
    expect(consoleUrl('acme/../evil.example', 'github')).toBeUndefined();
    expect(consoleUrl('acme/web#x', 'github')).toBeUndefined();
  });

  it('points identity findings at the IdP admin console where the tenant is known', () => {
    expect(consoleUrl('00u1abc', 'okta', 'acme.okta.com')).toBe('https://acme-admin.okta.com/admin/users');
    expect(consoleUrl('00u1abc', 'okta', 'login.example.com')).toBeUndefined();
    expect(consoleUrl('alice@example.com', 'google')).toBe('https://admin.google.com/');
    expect(consoleUrl('alice@example.com', 'entra')).toBe('https://entra.microsoft.com/');
    expect(consoleUrl('anything', 'manual')).toBeUndefined();
  });
});
