import { App } from 'aws-cdk-lib';
import { join } from 'node:path';
import { buildHubApp } from './hubApp';

const app = new App();
buildHubApp(app, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-2' },
  webAssetDir: join(import.meta.dirname, '../web/dist'),
});
