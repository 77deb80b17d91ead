import * as z from 'zod';
import { apiCall, parsePayload } from '../../api-error.ts';
import type { GoogleSession } from '../session.ts';
import type { GoogleUser, GoogleUsersSnapshot } from './snapshot.ts';

const NEVER = '1970-01-01T00:00:00.000Z';
const FIELDS =
  'nextPageToken,users(id,primaryEmail,suspended,archived,isAdmin,isDelegatedAdmin,isEnrolledIn2Sv,isEnforcedIn2Sv,lastLoginTime,creationTime)';

const pageSchema = z.looseObject({
  nextPageToken: z.string().nullish(),
  users: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        primaryEmail: z.string().min(1),
        suspended: z.boolean().nullish(),
        archived: z.boolean().nullish(),
        isAdmin: z.boolean().nullish(),
        isDelegatedAdmin: z.boolean().nullish(),
        isEnrolledIn2Sv: z.boolean().nullish(),
        isEnforcedIn2Sv: z.boolean().nullish(),
        lastLoginTime: z.string().nullish(),
        creationTime: z.string().nullish(),
      }),
    )
    .nullish(),
});

export async function collect(session: GoogleSession): Promise<GoogleUsersSnapshot> {
  const users: GoogleUser[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const response = await apiCall('google', 'users.list', () =>
      session.directory.users.list(
        {
          customer: session.customer,
          maxResults: 500,
          fields: FIELDS,
          ...(token ? { pageToken: token } : {}),
        },
        session.requestOptions,
      ),
    );
    const body = parsePayload(pageSchema, response.data, 'google', 'users.list');
    for (const u of body.users ?? []) {
      users.push({
        id: u.id,
        primaryEmail: u.primaryEmail,
        suspended: u.suspended ?? false,
        archived: u.archived ?? false,
        isAdmin: u.isAdmin ?? false,
        isDelegatedAdmin: u.isDelegatedAdmin ?? false,
        isEnrolledIn2Sv: u.isEnrolledIn2Sv ?? false,
        isEnforcedIn2Sv: u.isEnforcedIn2Sv ?? false,
        lastLoginTime: !u.lastLoginTime || u.lastLoginTime === NEVER ? null : u.lastLoginTime,
        creationTime: u.creationTime ?? null,
      });
    }
    pageToken = body.nextPageToken ?? undefined;
  } while (pageToken);
  users.sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail));
  return { customer: session.customer, users };
}
