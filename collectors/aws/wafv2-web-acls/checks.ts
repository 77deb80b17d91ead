import { type Check, perResource } from '../../../core/collector.ts';
import type { Wafv2WebAclsSnapshot } from './snapshot.ts';

const acls = (s: Wafv2WebAclsSnapshot) => s.webAcls;

export const webAclLogging = perResource(
  {
    id: 'aws.wafv2.web-acl-logging',
    title: 'Web ACLs log the requests they inspect',
    severity: 'medium',
    remediation: 'Configure web ACL logging to CloudWatch Logs, S3 or Firehose (put-logging-configuration).',
    procedure:
      'Reads every regional web ACL and the logging configurations (ListWebACLs, ListLoggingConfigurations). Passes a web ACL with a log destination.',
  },
  acls,
  (a) => a.arn,
  (a) => [
    a.loggingDestinations.length > 0,
    a.loggingDestinations.length > 0
      ? `logs to ${a.loggingDestinations.join(', ')}`
      : `web ACL ${a.name} does not log`,
  ],
);

export const webAclRules = perResource(
  {
    id: 'aws.wafv2.web-acl-rules',
    title: 'Web ACLs have rules',
    severity: 'medium',
    remediation:
      'Add AWS managed rule groups (core rule set, known bad inputs) or your own rules to the web ACL.',
    procedure:
      'Reads every regional web ACL (ListWebACLs, GetWebACL). Passes a web ACL with at least one rule or rule group.',
  },
  acls,
  (a) => a.arn,
  (a) => [
    a.rules > 0,
    a.rules > 0
      ? `${a.rules} rule(s), default ${a.defaultAction}`
      : `web ACL ${a.name} has no rule: it only applies its default action (${a.defaultAction})`,
  ],
);

export const checks: Check<Wafv2WebAclsSnapshot>[] = [webAclLogging, webAclRules];
