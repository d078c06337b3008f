/** Powertools' service name and metrics namespace: set on every function by the CDK app, defaulted in code. */
export const SERVICE_NAME = 'admin-hub-mis-sync';
export const METRICS_NAMESPACE = 'AdminHubMisSync';
