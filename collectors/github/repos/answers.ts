import * as z from 'zod';
import { timestamp } from '../../identity/api-error.ts';

/**
 * The fields `github.repos` reads of each answer, as GitHub documents them: a value of another type is a
 * malformed answer (an error artifact naming the request and the field), never stored as if GitHub had said it.
 */
const flag = z.boolean();
const enabled = z.looseObject({ enabled: flag }).nullish();
const status = z.looseObject({ status: z.string() }).nullish();

export const repoAnswer = z.looseObject({
  name: z.string().min(1),
  visibility: z.string().optional(),
  private: flag,
  archived: flag,
  fork: flag,
  default_branch: z.string().min(1),
  created_at: timestamp.nullish(),
  pushed_at: timestamp.nullish(),
  delete_branch_on_merge: flag.nullish(),
  security_and_analysis: z
    .looseObject({
      secret_scanning: status,
      secret_scanning_push_protection: status,
      dependabot_security_updates: status,
    })
    .nullish(),
});

export const protectionAnswer = z.looseObject({
  required_pull_request_reviews: z
    .looseObject({
      required_approving_review_count: z.number().int().nonnegative().optional(),
      dismiss_stale_reviews: flag.optional(),
      require_code_owner_reviews: flag.optional(),
      require_last_push_approval: flag.optional(),
    })
    .nullish(),
  required_status_checks: z
    .looseObject({
      contexts: z.array(z.string()).optional(),
      checks: z.array(z.looseObject({ context: z.string() })).optional(),
    })
    .nullish(),
  enforce_admins: enabled,
  required_signatures: enabled,
  required_linear_history: enabled,
  allow_force_pushes: enabled,
  allow_deletions: enabled,
  required_conversation_resolution: enabled,
});
export type ProtectionAnswer = z.infer<typeof protectionAnswer>;

export const branchRuleAnswer = z.looseObject({
  type: z.string(),
  ruleset_id: z.number(),
  ruleset_source: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

export const analysesAnswer = z.array(z.looseObject({ created_at: timestamp }));

export const deployKeyAnswer = z.looseObject({
  id: z.number(),
  title: z.string(),
  read_only: flag,
  created_at: timestamp,
  last_used: timestamp.nullish(),
});

export const actionsAnswer = z.looseObject({ enabled: flag, allowed_actions: z.string().nullish() });

export const workflowAnswer = z.looseObject({
  default_workflow_permissions: z.string(),
  can_approve_pull_request_reviews: flag,
});

export const immutableAnswer = z.looseObject({ enabled: flag });

export const rulesetAnswer = z.looseObject({
  id: z.number(),
  name: z.string(),
  source: z.string(),
  enforcement: z.string(),
  bypass_actors: z
    .array(
      z.looseObject({
        actor_type: z.string(),
        actor_id: z.number().nullish(),
        bypass_mode: z.string().optional(),
      }),
    )
    .nullish(),
});

/** `GET /orgs/{org}/dependabot/alerts`: the fields of an alert the snapshot keeps. */
export const dependabotAlertAnswer = z.looseObject({
  number: z.number(),
  repository: z.looseObject({ name: z.string() }),
  security_advisory: z.looseObject({ severity: z.string(), ghsa_id: z.string() }),
  dependency: z.looseObject({ package: z.looseObject({ name: z.string() }).nullish() }),
  created_at: z.string(),
});

/** `GET …/codeowners/errors`: each error is one GitHub documents, never a damaged item counted as one. */
export const codeownersErrorsAnswer = z.looseObject({
  errors: z.array(
    z.looseObject({ line: z.number(), kind: z.string(), message: z.string(), path: z.string() }),
  ),
});
