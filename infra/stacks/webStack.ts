import { Duration, Fn, RemovalPolicy, Stack, Token, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { acknowledgeNag } from '../constructs/nag';

export interface WebStackProps extends StackProps {
  api: HttpApi;
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
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Admin Hub MIS Sync',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
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
      'CFR2',
      'WAF web ACLs are account-specific and attached per environment; the API stage also throttles.',
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
