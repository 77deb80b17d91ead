import { AccountClient, GetAlternateContactCommand } from '@aws-sdk/client-account';
import type { Scope } from '../../../core/model.ts';
import { type AwsSession, unlessMissing } from '../session.ts';
import { orUnknown } from '../unknown.ts';
import type { AccountContactsSnapshot } from './snapshot.ts';

/** ResourceNotFoundException means no security contact is set; any other error is recorded as unknown. */
export async function collect(session: AwsSession, scope: Scope): Promise<AccountContactsSnapshot> {
  const security = await orUnknown(
    unlessMissing(
      session
        .client(AccountClient)
        .send(new GetAlternateContactCommand({ AlternateContactType: 'SECURITY' })),
      'ResourceNotFoundException',
    ),
    (out) =>
      out?.AlternateContact
        ? {
            account: scope.id,
            name: out.AlternateContact.Name ?? '',
            title: out.AlternateContact.Title ?? null,
            emailAddress: out.AlternateContact.EmailAddress ?? '',
          }
        : null,
  );
  return { security };
}
