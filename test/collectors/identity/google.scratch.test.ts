import { afterAll, beforeAll, expect, it } from 'vitest';
import { googleSession } from '../../../collectors/identity/google/session.ts';
import { collect } from '../../../collectors/identity/google/users/collect.ts';
import { startGoogleStandIn, googleResponses, type GoogleStandIn } from '../../../demo/identity-stand-ins/google.ts';

let s: GoogleStandIn;
beforeAll(async () => {
  s = await startGoogleStandIn({ adminEmail: 'admin@acme.example', maxPageSize: 1, users: [
    { id: '1', primaryEmail: 'a@acme.example', isEnrolledIn2Sv: true, isEnforcedIn2Sv: true, creationTime: '2026-01-01T00:00:00.000Z', isAdmin: true },
    { id: '2', primaryEmail: 'b@acme.example', isEnrolledIn2Sv: false, isEnforcedIn2Sv: false, creationTime: '2026-01-01T00:00:00.000Z' },
  ]});
});
afterAll(() => s.close());
it('collects', async () => {
  s.inject({ path: /users/, response: googleResponses.rateLimited(0) });
  const session = googleSession({ serviceAccount: s.serviceAccountKey, adminEmail: 'admin@acme.example', tokenUrl: `${s.url}/token`, apiRootUrl: s.url });
  const snap = await collect(session);
  console.log(JSON.stringify(snap, null, 1));
  console.log(s.requests);
  expect(snap.users.length).toBe(2);
});
