import { Duration, RemovalPolicy, SecretValue, Stack, Token, type StackProps } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ORIGIN_HEADER } from '../../shared/http/routes';
import { CONTENT_SECURITY_POLICY } from '../../shared/http/securityHeaders';
import { acknowledgeNag } from '../constructs/nag';

export interface WebStackProps extends StackProps {
  /** The API's host name: its custom domain, or the execute-api one. */
  apiOrigin: string;
  /** Sent to the API in the origin header (the `current` value). */
  originSecret: ISecret;
  /**
   * The secret version CloudFront sends. CloudFormation resolves the secret only when the
   * distribution changes, so a rotation names the new version here (README: rotating it).
   */
  originSecretVersionId?: string;
  /** The CLOUDFRONT-scope web ACL (EdgeStack, us-east-1). */
  webAclArn: string;
  /** The built wizard (web/dist). */
  webAssetDir: string;
}

/** The wizard on a private bucket behind CloudFront (OAC); /api/* goes to the API so the cookie is first-party. */
export class WebStack extends Stack {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(logs, 'S1', 'This is the access-log bucket itself; logging it to itself would loop.');

    const site = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    // Paths without a file extension are wizard routes: serve index.html and let the SPA route them.
    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      code: FunctionCode.fromInline(
        "function handler(event){var r=event.request;if(r.uri.indexOf('.')===-1){r.uri='/index.html';}return r;}",
      ),
    });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Admin Hub: CSP (no inline script, never framed), HSTS, nosniff, no referrer across sites',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
    });
    // What the API needs from the viewer, and the viewer's address for throttling; never Host
    // (API Gateway routes on its own name).
    const apiRequests = new OriginRequestPolicy(this, 'ApiRequests', {
      comment: 'Admin Hub API: cookies, query strings, the headers the API reads, and CloudFront-Viewer-Address',
      cookieBehavior: OriginRequestCookieBehavior.all(),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      headerBehavior: OriginRequestHeaderBehavior.allowList(
        'CloudFront-Viewer-Address',
        'Content-Type',
        'Accept',
        'Origin',
        'Referer',
        'User-Agent',
      ),
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Admin Hub MIS Sync',
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(props.apiOrigin, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            // Resolved by CloudFormation at deploy time; the API refuses requests without it.
            customHeaders: {
              [ORIGIN_HEADER]: SecretValue.secretsManager(props.originSecret.secretArn, {
                jsonField: 'current',
                ...(props.originSecretVersionId ? { versionId: props.originSecretVersionId } : {}),
              }).unsafeUnwrap(),
            },
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: apiRequests,
          responseHeadersPolicy: headers,
        },
      },
    });
    acknowledgeNag(
      this.distribution,
      'CFR1',
      'Schools across the UK and British schools abroad use the Hub; no geographic restriction applies.',
    );
    acknowledgeNag(
      this.distribution,
      'CFR4',
      'The default *.cloudfront.net certificate is used until a school-facing custom domain and ACM certificate are attached per environment.',
    );

    new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(props.webAssetDir)],
      destinationBucket: site,
      distribution: this.distribution,
      distributionPaths: ['/index.html'],
    });
    // BucketDeployment's custom resource is CDK-managed: its role and runtime are not ours to shape.
    const deployer = 'BucketDeployment’s CDK-managed custom resource';
    acknowledgeNag(
      this,
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${deployer} writes its own logs with AWS’s basic execution policy.`,
    );
    acknowledgeNag(this, 'L1', `${deployer}: its runtime is chosen by aws-cdk-lib and moves with each CDK upgrade.`);
    const siteArn = `<${this.getLogicalId(site.node.defaultChild as CfnBucket)}.Arn>`;
    for (const finding of [
      'Resource::*',
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      `Resource::${siteArn}/*`,
      `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account}-${Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region}/*`,
    ]) {
      acknowledgeNag(
        this,
        `IAM5[${finding}]`,
        `${deployer} copies the built wizard from the CDK asset bucket into the site bucket object by object, and invalidates index.html (cloudfront:CreateInvalidation takes no resource but *).`,
      );
    }
  }
}
