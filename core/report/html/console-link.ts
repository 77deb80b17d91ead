import type { Source } from '../../model.ts';

/**
 * Where a person fixes a resource: the vendor's console page built from the resource id alone (an ARN and its
 * region, a GitHub `org/repo#n`, an IdP tenant). Undefined where no page is known; never a guess at a host.
 */
export function consoleUrl(resource: string, source: Source, scopeId?: string): string | undefined {
  if (resource.startsWith('arn:')) return awsConsoleUrl(resource);
  switch (source) {
    case 'aws':
      // The credential report names the root user `<root_account>` when it has no ARN to give.
      return resource === '<root_account>' ? ROOT_CREDENTIALS : undefined;
    case 'github':
      return githubUrl(resource);
    case 'okta':
      return scopeId ? oktaAdminUrl(scopeId) : undefined;
    case 'entra':
      return 'https://entra.microsoft.com/';
    case 'google':
      return 'https://admin.google.com/';
    case 'identity-center':
      return 'https://console.aws.amazon.com/singlesignon/home';
    default:
      return undefined;
  }
}

const enc = encodeURIComponent;
const ROOT_CREDENTIALS = 'https://console.aws.amazon.com/iam/home#/security_credentials';

/** `arn:aws:<service>:<region>:<account>:<resource>`, commercial partition only (other partitions have other consoles). */
export function awsConsoleUrl(arn: string): string | undefined {
  const [prefix, partition, service, region, , ...rest] = arn.split(':');
  if (prefix !== 'arn' || partition !== 'aws' || !service || rest.length === 0) return undefined;
  const resource = rest.join(':');
  const [type, ...path] = resource.split('/');
  const name = path.at(-1) ?? '';
  const regional = (svc: string, fragment = '') =>
    region ? `https://${region}.console.aws.amazon.com/${svc}/home?region=${region}${fragment}` : undefined;
  switch (service) {
    case 's3':
      return `https://s3.console.aws.amazon.com/s3/buckets/${enc(resource.split('/')[0]!)}`;
    case 'iam':
      if (resource === 'root') return ROOT_CREDENTIALS;
      if (type === 'user' && name)
        return `https://console.aws.amazon.com/iam/home#/users/details/${enc(name)}`;
      if (type === 'role' && name)
        return `https://console.aws.amazon.com/iam/home#/roles/details/${enc(name)}`;
      if (type === 'policy') return `https://console.aws.amazon.com/iam/home#/policies/details/${enc(arn)}`;
      return 'https://console.aws.amazon.com/iam/home';
    case 'kms':
      return type === 'key' && name ? regional('kms', `#/kms/keys/${enc(name)}`) : regional('kms');
    case 'cloudtrail':
      return type === 'trail' ? regional('cloudtrail', `#/trails/${enc(arn)}`) : regional('cloudtrail');
    case 'config':
      return regional('config', '#/settings');
    case 'lambda':
      return rest[0] === 'function' && rest[1]
        ? regional('lambda', `#/functions/${enc(rest[1])}`)
        : regional('lambda');
    case 'ec2':
    case 'rds':
    case 'dynamodb':
    case 'sns':
    case 'guardduty':
    case 'securityhub':
      return regional(service);
    default:
      return undefined;
  }
}

const GITHUB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `org`, `org/repo`, `org/repo#12` (a pull request), `org/members/login`. */
function githubUrl(resource: string): string | undefined {
  const [path, number] = resource.split('#');
  const parts = (path ?? '').split('/');
  if (!parts.every((p) => GITHUB_NAME.test(p))) return undefined;
  const [org, second, third] = parts;
  if (parts.length === 3 && second === 'members')
    return `https://github.com/orgs/${enc(org!)}/people?query=${enc(third!)}`;
  if (parts.length === 2 && number && /^\d+$/.test(number))
    return `https://github.com/${enc(org!)}/${enc(second!)}/pull/${number}`;
  if (parts.length === 2 && number === undefined) return `https://github.com/${enc(org!)}/${enc(second!)}`;
  if (parts.length === 1 && number === undefined) return `https://github.com/${enc(org!)}`;
  return undefined;
}

/** An Okta org `acme.okta.com` is administered at `acme-admin.okta.com`. */
function oktaAdminUrl(host: string): string | undefined {
  const match = /^([a-z0-9-]+)\.(okta\.com|oktapreview\.com|okta-emea\.com)$/i.exec(host);
  return match ? `https://${match[1]}-admin.${match[2]}/admin/users` : undefined;
}
