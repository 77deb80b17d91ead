import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { apiGatewayRestApis as apiGatewayRestApisDefinition } from '../../../collectors/aws/apigateway-rest-apis/index.ts';
import type { ApiGatewaySnapshot } from '../../../collectors/aws/apigateway-rest-apis/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { runnable } from '../../support/runnable.ts';

const apiGatewayRestApis = runnable(apiGatewayRestApisDefinition);

const good: ApiGatewaySnapshot = {
  stages: [
    {
      id: 'a1/prod',
      api: 'orders',
      name: 'prod',
      accessLogDestination: 'arn:aws:logs:us-east-1:111122223333:log-group:api',
      webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/api/1',
      clientCertificateId: 'cert-1',
    },
  ],
  domainNames: [{ name: 'api.example.com', securityPolicy: 'TLS_1_2' }],
};
const bad: ApiGatewaySnapshot = {
  stages: [
    {
      id: 'a1/dev',
      api: 'orders',
      name: 'dev',
      accessLogDestination: null,
      webAclArn: null,
      clientCertificateId: null,
    },
  ],
  domainNames: [{ name: 'old.example.com', securityPolicy: 'TLS_1_0' }],
};

describe('aws.apigateway.rest-apis checks', () => {
  everyCheckOnFixtures('aws.apigateway.rest-apis', good, bad);
});

describeAws('aws.apigateway.rest-apis collect (moto)', () => {
  it('reads the stages of every REST API and the custom domains', async () => {
    const api = new APIGatewayClient(awsConfig());
    const { id: restApiId } = await api.send(new CreateRestApiCommand({ name: 'orders' }));
    const { items } = await api.send(new GetResourcesCommand({ restApiId }));
    const resourceId = items?.[0]?.id;
    await api.send(
      new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }),
    );
    await api.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK' }));
    const { id: deploymentId } = await api.send(new CreateDeploymentCommand({ restApiId }));
    await api.send(new CreateStageCommand({ restApiId, stageName: 'prod', deploymentId }));
    await api.send(
      new CreateDomainNameCommand({
        domainName: 'api.example.com',
        securityPolicy: 'TLS_1_0',
        regionalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
      }),
    );
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (_s, op) => calls.push(op) });
    const snap = await apiGatewayRestApis.collect(session, {
      source: 'aws',
      id: '123456789012',
      region: 'us-east-1',
    });
    expect(snap.stages).toContainEqual({
      id: `${restApiId}/prod`,
      api: 'orders',
      name: 'prod',
      accessLogDestination: null,
      webAclArn: null,
      clientCertificateId: null,
    });
    expect(snap.domainNames).toEqual([{ name: 'api.example.com', securityPolicy: 'TLS_1_0' }]);
    expect(calls.sort()).toEqual(['GetDomainNames', 'GetRestApis', 'GetStages']);
  });
});
