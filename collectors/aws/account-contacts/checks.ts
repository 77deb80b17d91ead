import { isUnknown, perReadResource } from '../unknown.ts';
import type { AccountContactsSnapshot } from './snapshot.ts';

export const securityContact = perReadResource(
  {
    id: 'aws.account.security-contact',
    title: 'The account has an alternate security contact',
    severity: 'medium',
    procedure:
      'Reads the account’s alternate contact of type SECURITY (GetAlternateContact), where AWS sends abuse reports and security notices. Passes when one is set; fails when none is set or the answer could not be read.',
    remediation:
      'Set the SECURITY alternate contact (Account settings or aws account put-alternate-contact) to a monitored team mailbox.',
  },
  'the alternate security contact',
  (s: AccountContactsSnapshot) => (isUnknown(s.security) ? s.security : s.security ? [s.security] : []),
  (c) => `arn:aws:account::${c.account}:account`,
  (c) => [true, `security contact ${c.name}${c.title ? ` (${c.title})` : ''} <${c.emailAddress}>`],
  'no alternate security contact is set: AWS security notices reach only the root email',
);

export const checks = [securityContact];
