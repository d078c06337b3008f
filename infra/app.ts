import { App } from 'aws-cdk-lib';
import { join } from 'node:path';
import { buildHubApp } from './hubApp';

const app = new App();
// Configuration comes from CDK context: `npx cdk deploy -c appUrl=https://… -c assemblyClientId=… -c assemblyEnvironment=sandbox`
// and, optionally, `-c apiDomainName=api.… -c apiCertificateArn=arn:aws:acm:…` (README: Deploying).
const context = (name: string, fallback: string) => String(app.node.tryGetContext(name) ?? fallback);
const assemblyEnvironment = context('assemblyEnvironment', 'sandbox');
if (assemblyEnvironment !== 'live' && assemblyEnvironment !== 'sandbox')
  throw new Error('assemblyEnvironment must be live or sandbox');
buildHubApp(app, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-2' },
  webAssetDir: join(import.meta.dirname, '../web/dist'),
  appUrl: context('appUrl', 'https://admin-hub.example.org'),
  assemblyEnvironment,
  assemblyClientId: context('assemblyClientId', 'set-assemblyClientId-in-cdk-context'),
  mailFrom: context('mailFrom', 'Admin Hub <no-reply@admin-hub.example.org>'),
  ...(app.node.tryGetContext('originSecretVersionId') ? { originSecretVersionId: context('originSecretVersionId', '') } : {}),
  ...(app.node.tryGetContext('apiDomainName')
    ? { apiDomain: { name: context('apiDomainName', ''), certificateArn: context('apiCertificateArn', '') } }
    : {}),
});
