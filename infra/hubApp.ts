import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack, type ApiDomain } from './stacks/apiStack';
import { EdgeStack } from './stacks/edgeStack';
import { StatefulStack } from './stacks/statefulStack';
import { WebStack } from './stacks/webStack';

export interface HubAppProps {
  env?: Environment;
  webAssetDir: string;
  /** The wizard's public address: the OAuth redirect URI registered with Assembly derives from it. */
  appUrl: string;
  assemblyEnvironment: 'live' | 'sandbox';
  assemblyClientId: string;
  /** Sender of welcome emails, e.g. "Admin Hub <no-reply@hub.example.org>"; its domain must be verified in SES. */
  mailFrom: string;
  /** Optional custom domain for the API; with it the execute-api endpoint is switched off. */
  apiDomain?: ApiDomain;
  /** After rotating the origin secret: the version CloudFront must now send. */
  originSecretVersionId?: string;
}

/** Assembly's hosts (../shared/assembly-api.md §1); the sandbox OAuth host is the v1.1 docs' one. */
export const ASSEMBLY_HOSTS = {
  live: { api: 'https://api.assembly.education', oauth: 'https://platform.assembly.education' },
  sandbox: { api: 'https://api-sandbox.assembly.education', oauth: 'https://sandbox.assembly.education' },
} as const;

/** The three stacks, stateful apart from stateless, with cdk-nag's AWS Solutions checks on. */
export function buildHubApp(app: App, props: HubAppProps) {
  const stateful = new StatefulStack(app, 'AdminHubMisSync-Stateful', { env: props.env });
  const hosts = ASSEMBLY_HOSTS[props.assemblyEnvironment];
  const api = new ApiStack(app, 'AdminHubMisSync-Api', {
    env: props.env,
    table: stateful.table,
    mailFrom: props.mailFrom,
    originSecret: stateful.originSecret,
    ...(props.apiDomain ? { domain: props.apiDomain } : {}),
    assembly: {
      environment: {
        APP_URL: props.appUrl,
        ASSEMBLY_API_URL: hosts.api,
        ASSEMBLY_OAUTH_URL: hosts.oauth,
        ASSEMBLY_CLIENT_ID: props.assemblyClientId,
      },
      appSecrets: stateful.appSecrets,
      tokenKey: stateful.tokenKey,
    },
  });
  // CloudFront's web ACL must live in us-east-1, whatever region the rest is in.
  const edge = new EdgeStack(app, 'AdminHubMisSync-Edge', { env: { account: props.env?.account, region: 'us-east-1' } });
  const web = new WebStack(app, 'AdminHubMisSync-Web', {
    env: props.env,
    crossRegionReferences: true,
    apiOrigin: api.originDomain,
    originSecret: stateful.originSecret,
    ...(props.originSecretVersionId ? { originSecretVersionId: props.originSecretVersionId } : {}),
    webAclArn: edge.webAclArn,
    webAssetDir: props.webAssetDir,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, api, edge, web };
}
