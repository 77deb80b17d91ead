import { createHash } from 'node:crypto';

/** The RFC 9562 URL namespace. */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/**
 * RFC 9562 version-5 (SHA-1, name-based) UUID of `urn:proofline:<name>` in the URL namespace: the same name
 * always gives the same UUID, so an archive's OSCAL identifiers are stable across exports of the same evidence.
 */
export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(URL_NAMESPACE).update(`urn:proofline:${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
