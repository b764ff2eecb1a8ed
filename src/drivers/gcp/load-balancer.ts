// The global external Application Load Balancer in front of a static site's
// backend bucket: HTTPS with a Google-managed certificate when the app has a
// domain, plain HTTP otherwise.

import { createHash } from 'node:crypto';
import type { ComputeBackendBucket } from '@cdktf/provider-google/lib/compute-backend-bucket/index.js';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
import { ComputeGlobalForwardingRule } from '@cdktf/provider-google/lib/compute-global-forwarding-rule/index.js';
import { ComputeManagedSslCertificate } from '@cdktf/provider-google/lib/compute-managed-ssl-certificate/index.js';
import { ComputeTargetHttpProxy } from '@cdktf/provider-google/lib/compute-target-http-proxy/index.js';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy/index.js';
import { ComputeUrlMap } from '@cdktf/provider-google/lib/compute-url-map/index.js';
import type { DesiredApp } from '../../reconciler/desired-state.js';
import type { GcpStack } from './context.js';
import { appLabels } from './labels.js';
import { computeName } from './names.js';

export interface SiteFrontEnd {
  /** The URL map in front of the CDN: the one whose cache a sync invalidates. */
  urlMap: ComputeUrlMap;
  address: ComputeGlobalAddress;
}

export function loadBalancer(stack: GcpStack, app: DesiredApp, backend: ComputeBackendBucket): SiteFrontEnd {
  const { scope, input } = stack;
  const id = `app-${app.name}`;
  const name = (...suffix: string[]) => computeName([input.project, app.name, ...suffix]);
  const dependsOn = stack.services.need('compute');
  const address = new ComputeGlobalAddress(scope, `${id}-ip`, { name: name('ip'), ipVersion: 'IPV4', labels: appLabels(app), dependsOn });
  const urlMap = new ComputeUrlMap(scope, `${id}-url-map`, { name: name('cdn'), defaultService: backend.id, dependsOn });
  const rule = (scheme: 'http' | 'https', target: string) =>
    new ComputeGlobalForwardingRule(scope, `${id}-${scheme}-rule`, {
      name: name(scheme, 'rule'),
      target,
      ipAddress: address.address,
      ipProtocol: 'TCP',
      portRange: scheme === 'https' ? '443' : '80',
      loadBalancingScheme: 'EXTERNAL',
      labels: appLabels(app),
    });
  const httpProxy = (map: ComputeUrlMap) =>
    new ComputeTargetHttpProxy(scope, `${id}-http-proxy`, { name: name('http', 'proxy'), urlMap: map.id });

  const domain = app.release.domain;
  if (!domain) {
    // Google-managed certificates need a domain to validate, so a site without one
    // is served over plain HTTP on the address until the manifest gives it a domain.
    rule('http', httpProxy(urlMap).id);
    return { urlMap, address };
  }
  const certificate = new ComputeManagedSslCertificate(scope, `${id}-certificate`, {
    // The domain's hash in the name lets a new certificate exist before the old one
    // is removed (create_before_destroy), so changing the domain keeps HTTPS up.
    name: name('cert', createHash('sha256').update(domain).digest('hex').slice(0, 8)),
    managed: { domains: [domain] },
    lifecycle: { createBeforeDestroy: true },
    dependsOn,
  });
  const httpsProxy = new ComputeTargetHttpsProxy(scope, `${id}-https-proxy`, {
    name: name('https', 'proxy'),
    urlMap: urlMap.id,
    sslCertificates: [certificate.id],
  });
  rule('https', httpsProxy.id);
  const redirect = new ComputeUrlMap(scope, `${id}-redirect-url-map`, {
    name: name('redirect'),
    defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT' },
    dependsOn,
  });
  rule('http', httpProxy(redirect).id);
  return { urlMap, address };
}
