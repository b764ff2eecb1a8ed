// The TLS certificate of a static site's custom domain: ACM in us-east-1 (the only
// region CloudFront reads certificates from), validated through DNS records that the
// user creates at their DNS host.

import { TerraformOutput, type TerraformStack } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import { appTags } from './tags.js';

/** The DNS records that prove the domain is the user's: names and values, not secrets. */
export function validationRecordsOutput(app: string): string {
  return `app_${app}_dnsValidationRecords`;
}

/** Returns the ARN of the certificate once validated, for the distribution. */
export function siteCertificate(stack: TerraformStack, app: DesiredApp, domain: string, provider: AwsProvider): string {
  const id = `app-${app.name}`;
  const certificate = new AcmCertificate(stack, `${id}-certificate`, {
    provider,
    domainName: domain,
    validationMethod: 'DNS',
    // A new domain gets its certificate before the distribution lets go of the old one.
    lifecycle: { createBeforeDestroy: true },
    tags: appTags(app),
  });
  new TerraformOutput(stack, validationRecordsOutput(app.name), {
    value: certificate.domainValidationOptions,
    description: `CNAME records to create so ACM can issue the certificate of ${domain}`,
  });
  const validation = new AcmCertificateValidation(stack, `${id}-validation`, {
    provider,
    certificateArn: certificate.arn,
    // Bounded well below the provider's 75 minutes: until the user has created the
    // records the apply fails here, visibly, and the next reconcile tries again.
    timeouts: { create: '30m' },
  });
  return validation.certificateArn;
}
