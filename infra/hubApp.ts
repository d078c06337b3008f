import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './stacks/apiStack';
import { StatefulStack } from './stacks/statefulStack';
import { WebStack } from './stacks/webStack';

export interface HubAppProps {
  env?: Environment;
  webAssetDir: string;
}

/** The three stacks, stateful apart from stateless, with cdk-nag's AWS Solutions checks on. */
export function buildHubApp(app: App, props: HubAppProps) {
  const stateful = new StatefulStack(app, 'AdminHubMisSync-Stateful', { env: props.env });
  const api = new ApiStack(app, 'AdminHubMisSync-Api', { env: props.env, table: stateful.table });
  const web = new WebStack(app, 'AdminHubMisSync-Web', { env: props.env, api: api.api, webAssetDir: props.webAssetDir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, api, web };
}
