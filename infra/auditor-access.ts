import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { EvidenceStorage } from './evidence-storage.ts';
import { keepParentLogicalIds } from './logical-ids.ts';

export interface AuditorAccessProps {
  readonly storage: EvidenceStorage;
  /** The export function, reached through its URL (IAM authentication). */
  readonly exportFunction: lambda.Function;
  /** Principals (IAM role, user or account root ARNs) allowed to assume the auditor role; none: the account. */
  readonly principals: readonly string[];
}

/**
 * The auditor's way in: a role (one-hour sessions) that reads exports and the public signing key and calls the
 * export function's URL, which builds signed archives and hands out presigned download links.
 */
export class AuditorAccess extends Construct {
  readonly role: iam.Role;
  readonly exportUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: AuditorAccessProps) {
    super(scope, id);
    this.exportUrl = props.exportFunction.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    const auditors = props.principals.length
      ? props.principals.map((arn) => new iam.ArnPrincipal(arn))
      : [new iam.AccountRootPrincipal()];
    this.role = new iam.Role(this, 'AuditorRole', {
      assumedBy: new iam.CompositePrincipal(...auditors),
      description: 'Proofline auditor: read exports/ and the public signing key, call the export URL',
      maxSessionDuration: Duration.hours(1),
    });
    props.storage.grantExportRead(this.role);
    props.storage.grantReadPublicKey(this.role);
    this.exportUrl.grantInvokeUrl(this.role);
    keepParentLogicalIds(this);
  }
}
