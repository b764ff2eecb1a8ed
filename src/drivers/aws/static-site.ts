// A static site: the private bucket behind a CloudFront distribution that alone may
// read it, on the site's domain when it has one. Pilot's sync invalidates the cache
// after each deploy with the distribution id this stack outputs.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution/index.js';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import { appOutput } from '../outputs.js';
import { privateBucket } from './bucket.js';
import { siteCertificate } from './certificate.js';
import { distributionComment, originAccessControlName } from './names.js';
import type { Providers } from './provider.js';
import { appTags } from './tags.js';

/** AWS's managed "CachingOptimized" cache policy: the same id in every account. */
const cachingOptimized = '658327ea-f89d-4fab-a63d-7e88639e58f6';

/** The host name the site answers on before (or without) a custom domain. */
export function siteHostOutput(app: string): string {
  return `app_${app}_siteHost`;
}

function usEast1(providers: Providers, app: DesiredApp): AwsProvider {
  if (!providers.usEast1) throw new Error(`${app.project}/${app.name}: the stack has no us-east-1 provider for the site's certificate`);
  return providers.usEast1;
}

export function staticSite(stack: TerraformStack, app: DesiredApp, providers: Providers): void {
  const id = `app-${app.name}`;
  const bucket = privateBucket(stack, app);
  const access = new CloudfrontOriginAccessControl(stack, `${id}-oac`, {
    name: originAccessControlName(app.project, app.name),
    description: `CloudFront reads ${app.project}/${app.name} from S3`,
    originAccessControlOriginType: 's3', signingBehavior: 'always', signingProtocol: 'sigv4',
  });

  const domain = app.release.domain;
  const certificateArn = domain === undefined ? undefined : siteCertificate(stack, app, domain, usEast1(providers, app));

  const originId = 's3';
  const distribution = new CloudfrontDistribution(stack, `${id}-cdn`, {
    enabled: true,
    isIpv6Enabled: true,
    comment: distributionComment(app.project, app.name),
    defaultRootObject: 'index.html',
    ...(domain === undefined ? {} : { aliases: [domain] }),
    origin: [{ originId, domainName: bucket.bucketRegionalDomainName, originAccessControlId: access.id }],
    defaultCacheBehavior: {
      targetOriginId: originId,
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: ['GET', 'HEAD'],
      cachedMethods: ['GET', 'HEAD'],
      cachePolicyId: cachingOptimized,
      compress: true,
    },
    restrictions: { geoRestriction: { restrictionType: 'none' } },
    viewerCertificate: certificateArn === undefined
      ? { cloudfrontDefaultCertificate: true }
      : { acmCertificateArn: certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
    tags: appTags(app),
  });

  // Only this distribution, signing as the CloudFront service, may read objects.
  const policy = new DataAwsIamPolicyDocument(stack, `${id}-policydoc`, {
    statement: [{
      sid: 'CloudFrontReadsSite',
      effect: 'Allow',
      actions: ['s3:GetObject'],
      resources: [`${bucket.arn}/*`],
      principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [distribution.arn] }],
    }],
  });
  new S3BucketPolicy(stack, `${id}-policy`, { bucket: bucket.id, policy: policy.json });

  new TerraformOutput(stack, appOutput(app.name, 'bucket'), { value: bucket.bucket });
  new TerraformOutput(stack, appOutput(app.name, 'distributionId'), { value: distribution.id });
  new TerraformOutput(stack, siteHostOutput(app.name), { value: distribution.domainName });
}
