import * as z from 'zod';
import { parsePayload, timestamp } from '../identity/api-error.ts';

/**
 * The fields of GitHub's answers that more than one collector reads. Each collector reads an answer through a
 * schema: a value of another type than GitHub documents is a malformed answer (an error artifact naming the
 * request and the field), never a value stored, or a date guessed, as if GitHub had said it (dates: `timestamp`).
 */

/** `GET /orgs/{org}/repos`: the fields collectors read of each listed repository. */
export const listedRepoAnswer = z.looseObject({
  name: z.string().min(1),
  archived: z.boolean().optional(),
  pushed_at: timestamp.nullish(),
  default_branch: z.string().min(1).optional(),
});

/** `GET …/hooks`: the fields of a webhook `toWebhook` reads. */
export const webhookAnswer = z.looseObject({
  id: z.number(),
  active: z.boolean(),
  events: z.array(z.string()).optional(),
  config: z.looseObject({
    url: z.string().optional(),
    // GitHub documents "0"/"1" or a number; a null read as "0" would be TLS verification never established.
    insecure_ssl: z.union([z.string(), z.number()]).optional(),
    secret: z.string().optional(),
  }),
});

/**
 * GitHub's documented error body (`basic-error`, `validation-error`, `validation-error-simple`): gaps record
 * its message, and the throttling plugin reads `errors[].type` of a 403.
 */
export const errorAnswer = z.looseObject({
  message: z.string(),
  errors: z.array(z.union([z.string(), z.looseObject({})])).optional(),
});

/** An answer read through `schema`, or a `MalformedResponseError` naming `request`. */
export const githubAnswer = <T>(schema: z.ZodType<T>, answer: unknown, request: string): T =>
  parsePayload(schema, answer, 'github', request);
