import * as z from 'zod';
import { apiCall, MalformedResponseError, parsePayload, timestamp } from '../../api-error.ts';
import type { GoogleSession } from '../session.ts';
import type { GoogleUser, GoogleUsersSnapshot } from './snapshot.ts';

/** How the Directory API reports "never signed in" as lastLoginTime. */
const NEVER = '1970-01-01T00:00:00.000Z';
const FIELDS =
  'nextPageToken,users(id,primaryEmail,suspended,archived,isAdmin,isDelegatedAdmin,isEnrolledIn2Sv,isEnforcedIn2Sv,lastLoginTime,creationTime)';

/**
 * A user as users.list answers for the fields asked: every one of them is an output field Google sends for
 * every user (lastLoginTime 1970-01-01 for "never"). A missing or mistyped flag or date is a malformed
 * answer naming the user's index and the field, never read as "not an admin" or "no 2-Step Verification".
 */
const userSchema = z.looseObject({
  id: z.string().min(1),
  primaryEmail: z.string().min(1),
  suspended: z.boolean(),
  archived: z.boolean(),
  isAdmin: z.boolean(),
  isDelegatedAdmin: z.boolean(),
  isEnrolledIn2Sv: z.boolean(),
  isEnforcedIn2Sv: z.boolean(),
  lastLoginTime: timestamp,
  creationTime: timestamp,
});

const pageSchema = z.looseObject({
  // Google's JSON leaves out an empty list and the token of a last page.
  users: z.array(userSchema).optional(),
  nextPageToken: z.string().min(1).optional(),
});

export async function collect(session: GoogleSession): Promise<GoogleUsersSnapshot> {
  const users = new Map<string, GoogleUser>();
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
      // A user listed twice means the pages do not fit together: what else was skipped is unknown.
      if (users.has(u.id))
        throw new MalformedResponseError('google', 'users.list', `users: user ${u.id} listed twice`);
      users.set(u.id, {
        id: u.id,
        primaryEmail: u.primaryEmail,
        suspended: u.suspended,
        archived: u.archived,
        isAdmin: u.isAdmin,
        isDelegatedAdmin: u.isDelegatedAdmin,
        isEnrolledIn2Sv: u.isEnrolledIn2Sv,
        isEnforcedIn2Sv: u.isEnforcedIn2Sv,
        lastLoginTime: u.lastLoginTime === NEVER ? null : u.lastLoginTime,
        creationTime: u.creationTime,
      });
    }
    pageToken = body.nextPageToken;
  } while (pageToken);
  // The administrator the service account acts as is a user of the customer: an empty directory is a
  // damaged answer, never evidence of "no users, no super administrators".
  if (users.size === 0)
    throw new MalformedResponseError(
      'google',
      'users.list',
      'users: no user listed, not even the administrator the service account acts as',
    );
  return {
    customer: session.customer,
    users: [...users.values()].sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail)),
  };
}
