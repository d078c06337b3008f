import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/**
 * Rate limits per source address (requests in 5 minutes), applied at the edge before a request
 * reaches the API. The sign-in, forgot-password and set-password routes also count attempts
 * per email and address in the app itself (shared/auth); these limits stop floods cheaply.
 */
export const EDGE_RATE_LIMITS = {
  /**
   * Sign-in, forgot password, set password. A whole school's staff can share one address (the
   * school's network), so this allows a staff room signing in at 8:50; a script needs thousands.
   */
  gettingIn: 300,
  /** Every API request, from one address: a busy school stays far below this. */
  api: 20000,
} as const;

export const GETTING_IN_PATHS = ['/api/auth/sign-in', '/api/auth/forgot-password', '/api/auth/set-password'] as const;

/**
 * The distribution's web ACL. CloudFront takes only web ACLs of CLOUDFRONT scope, which live in
 * us-east-1: this small stack is deployed there, and the web stack refers to it across regions.
 */
export class EdgeStack extends Stack {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const startsWith = (path: string): CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: path,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    });
    // Blocked requests get a 429 in the app's own error shape, which the wizard shows as it is.
    const tooMany = { customResponse: { responseCode: 429, customResponseBodyKey: 'tooMany' } };
    const acl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      customResponseBodies: {
        tooMany: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: 'too_many_requests',
            message: 'Too many requests from your network. Please try again in a few minutes.',
          }),
        },
      },
      visibilityConfig: visibility('AdminHubWebAcl'),
      rules: [
        {
          name: 'GettingInRate',
          priority: 0,
          action: { block: tooMany },
          statement: {
            rateBasedStatement: {
              limit: EDGE_RATE_LIMITS.gettingIn,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: { orStatement: { statements: GETTING_IN_PATHS.map(startsWith) } },
            },
          },
          visibilityConfig: visibility('GettingInRate'),
        },
        {
          name: 'ApiRate',
          priority: 1,
          action: { block: tooMany },
          statement: {
            rateBasedStatement: {
              limit: EDGE_RATE_LIMITS.api,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: startsWith('/api/'),
            },
          },
          visibilityConfig: visibility('ApiRate'),
        },
      ],
    });
    this.webAclArn = acl.attrArn;
  }
}
