// The GCE metadata server, as google-auth-library's application default credentials use it on a
// runner VM (GCE_METADATA_HOST points here): it hands out the access tokens the other Google
// stand-ins accept.

import { randomBytes } from 'node:crypto';
import { send, sendJson, startStandIn, type StandIn } from './http-stand-in.js';

export interface MetadataStandIn extends StandIn {
  /** GCE_METADATA_HOST value: host:port, no scheme. */
  host: string;
  tokens: Set<string>;
  isValidToken(token: string): boolean;
}

export async function startMetadataStandIn(project: string): Promise<MetadataStandIn> {
  const tokens = new Set<string>();
  const flavor = { 'metadata-flavor': 'Google' };
  const standIn = await startStandIn((req, res) => {
    // The real server refuses requests without the header, so that a browser or proxy cannot reach it.
    if (req.headers['metadata-flavor'] !== 'Google') return send(res, 403, 'text/html', 'Missing Metadata-Flavor:Google header.', flavor);
    if (req.method !== 'GET') return send(res, 405, 'text/html', 'Method Not Allowed', flavor);
    switch (req.path) {
      case '/computeMetadata/v1/instance':
      case '/computeMetadata/v1/instance/':
        return send(res, 200, 'application/text', 'attributes/\nhostname\nservice-accounts/\nzone\n', flavor);
      case '/computeMetadata/v1/project/project-id':
        return send(res, 200, 'application/text', project, flavor);
      case '/computeMetadata/v1/universe/universe-domain':
        return send(res, 200, 'application/text', 'googleapis.com', flavor);
      case '/computeMetadata/v1/instance/service-accounts/default/token': {
        const token = `ya29.stand-in-${randomBytes(24).toString('base64url')}`;
        tokens.add(token);
        return sendJson(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' }, flavor);
      }
      default:
        return send(res, 404, 'text/html', 'Not Found', flavor);
    }
  });
  return { ...standIn, host: standIn.url.replace('http://', ''), tokens, isValidToken: (token) => tokens.has(token) };
}
