import {
  APIGatewayClient,
  GetStagesCommand,
  paginateGetDomainNames,
  paginateGetRestApis,
} from '@aws-sdk/client-api-gateway';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { ApiGatewaySnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<ApiGatewaySnapshot> {
  const client = session.client(APIGatewayClient, scope.region);
  const [apis, domains] = await Promise.all([
    all(paginateGetRestApis({ client }, {}), (p) => p.items),
    all(paginateGetDomainNames({ client }, {}), (p) => p.items),
  ]);
  const limit = pLimit(8);
  const stages = await Promise.all(
    apis.map((api) =>
      limit(async () => {
        const out = await client.send(new GetStagesCommand({ restApiId: api.id }));
        return (out.item ?? []).map((s) => ({
          id: `${api.id}/${s.stageName}`,
          api: api.name ?? api.id ?? '',
          name: s.stageName ?? '',
          accessLogDestination: s.accessLogSettings?.destinationArn ?? null,
          webAclArn: s.webAclArn ?? null,
          clientCertificateId: s.clientCertificateId ?? null,
        }));
      }),
    ),
  );
  return {
    stages: stages.flat(),
    domainNames: domains.map((d) => ({
      name: d.domainName ?? '',
      securityPolicy: d.securityPolicy ?? 'TLS_1_0',
    })),
  };
}
