import { AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { describe, expect, it } from 'vitest';
import { securityContact } from '../../../collectors/aws/account-contacts/checks.ts';
import { accountContacts as accountContactsDefinition } from '../../../collectors/aws/account-contacts/index.ts';
import type { AccountContactsSnapshot } from '../../../collectors/aws/account-contacts/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import type { CheckContext } from '../../../core/collector.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { runnable } from '../../support/runnable.ts';

const accountContacts = runnable(accountContactsDefinition);

const context: CheckContext = {
  asOf: new Date('2026-11-27T00:00:00Z'),
  scope: { source: 'aws', id: '111122223333' },
};
const set: AccountContactsSnapshot = {
  security: {
    account: '111122223333',
    name: 'Security team',
    title: 'SecOps',
    emailAddress: 'sec@example.com',
  },
};
const judge = (s: AccountContactsSnapshot) =>
  securityContact.evaluate(s, context).map((f) => [f.resource, f.status, f.reason]);

describe('aws.account.contacts checks', () => {
  it('passes an account with a security contact', () => {
    expect(judge(set)).toEqual([
      [
        'arn:aws:account::111122223333:account',
        'pass',
        'security contact Security team (SecOps) <sec@example.com>',
      ],
    ]);
  });

  it('fails an account without one, and one whose answer could not be read', () => {
    expect(judge({ security: null })).toEqual([
      [
        '111122223333',
        'fail',
        'no alternate security contact is set: AWS security notices reach only the root email',
      ],
    ]);
    expect(judge({ security: { unknown: 'AccessDeniedException (HTTP 403)' } })).toEqual([
      [
        '111122223333',
        'fail',
        'the alternate security contact could not be read: AccessDeniedException (HTTP 403)',
      ],
    ]);
  });
});

describeAws('aws.account.contacts collect (moto)', () => {
  it('records no contact as null, then the contact once set, without its phone number', async () => {
    const session = new AwsSession();
    const scope = { source: 'aws' as const, id: await session.accountId() };
    expect(await accountContacts.collect(session, scope)).toEqual({ security: null });
    await new AccountClient(awsConfig()).send(
      new PutAlternateContactCommand({
        AlternateContactType: 'SECURITY',
        Name: 'Security team',
        Title: 'SecOps',
        EmailAddress: 'sec@example.com',
        PhoneNumber: '+1-555-0100',
      }),
    );
    const snap = await accountContacts.collect(session, scope);
    expect(snap).toEqual({
      security: {
        account: scope.id,
        name: 'Security team',
        title: 'SecOps',
        emailAddress: 'sec@example.com',
      },
    });
    expect(JSON.stringify(snap)).not.toContain('555');
    expect(securityContact.evaluate(snap, { ...context, scope }).map((f) => f.status)).toEqual(['pass']);
  });
});
