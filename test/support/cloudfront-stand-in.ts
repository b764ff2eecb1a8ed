// CloudFront's CreateInvalidation and GetInvalidation (API 2020-05-31), with SigV4 checked.

import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { send, startStandIn, type StandIn } from './http-stand-in.js';
import { verifySigV4, type AwsKey } from './sigv4.js';
import { xmlDocument, xmlEscape, xmlValues } from './xml.js';

export interface Invalidation {
  id: string;
  distribution: string;
  paths: string[];
  callerReference: string;
  /** GetInvalidation calls answered so far. */
  polls: number;
}

export interface CloudFrontStandIn extends StandIn {
  invalidations: Invalidation[];
}

export interface CloudFrontStandInOptions {
  key: AwsKey;
  distributions: string[];
  /** GetInvalidation answers InProgress this many times, then Completed. */
  inProgressPolls?: number;
}

const namespace = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

function error(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, 'text/xml', xmlDocument(`<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>STANDIN</RequestId></ErrorResponse>`));
}

function invalidationXml(invalidation: Invalidation, status: string): string {
  const items = invalidation.paths.map((path) => `<Path>${xmlEscape(path)}</Path>`).join('');
  const batch = `<InvalidationBatch><Paths><Quantity>${invalidation.paths.length}</Quantity><Items>${items}</Items></Paths><CallerReference>${xmlEscape(invalidation.callerReference)}</CallerReference></InvalidationBatch>`;
  return xmlDocument(`<Invalidation xmlns="${namespace}"><Id>${invalidation.id}</Id><Status>${status}</Status><CreateTime>${new Date().toISOString()}</CreateTime>${batch}</Invalidation>`);
}

export async function startCloudFrontStandIn(options: CloudFrontStandInOptions): Promise<CloudFrontStandIn> {
  const invalidations: Invalidation[] = [];
  const inProgressPolls = options.inProgressPolls ?? 1;
  const standIn = await startStandIn((req, res) => {
    const denied = verifySigV4(req, options.key, 'cloudfront', true);
    if (denied) return error(res, denied.status, denied.code, denied.message);
    const match = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation(?:\/([^/]+))?$/.exec(req.path);
    if (!match) return error(res, 404, 'NotFound', `Could not find resource ${req.path}`);
    const [, distribution = '', id] = match;
    if (!options.distributions.includes(distribution)) return error(res, 404, 'NoSuchDistribution', 'The specified distribution does not exist.');
    if (req.method === 'POST' && id === undefined) {
      const xml = req.body.toString('utf8');
      const paths = xmlValues(xml, 'Path');
      const [quantity] = xmlValues(xml, 'Quantity');
      const [callerReference] = xmlValues(xml, 'CallerReference');
      if (!callerReference) return error(res, 400, 'MissingBody', 'This operation requires a body. Ensure that the body is present and the Content-Type header is set.');
      if (Number(quantity) !== paths.length || paths.length === 0) return error(res, 400, 'InconsistentQuantities', 'The value of Quantity and the size of Items don\'t match.');
      if (paths.some((path) => !path.startsWith('/'))) return error(res, 400, 'InvalidArgument', 'Your request contains one or more invalid invalidation paths.');
      if (invalidations.some((seen) => seen.callerReference === callerReference)) return error(res, 400, 'InvalidationBatchAlreadyExists', 'The CallerReference you attempted to create the invalidation with is the same as one for an invalidation that was already created.');
      const invalidation = { id: `I${randomBytes(6).toString('hex').toUpperCase()}`, distribution, paths, callerReference, polls: 0 };
      invalidations.push(invalidation);
      const location = `https://cloudfront.amazonaws.com/2020-05-31/distribution/${distribution}/invalidation/${invalidation.id}`;
      return send(res, 201, 'text/xml', invalidationXml(invalidation, 'InProgress'), { location });
    }
    if (req.method === 'GET' && id !== undefined) {
      const invalidation = invalidations.find((seen) => seen.id === id && seen.distribution === distribution);
      if (!invalidation) return error(res, 404, 'NoSuchInvalidation', 'The specified invalidation does not exist.');
      invalidation.polls++;
      return send(res, 200, 'text/xml', invalidationXml(invalidation, invalidation.polls > inProgressPolls ? 'Completed' : 'InProgress'));
    }
    return error(res, 405, 'MethodNotAllowed', `${req.method} is not allowed on ${req.path}`);
  });
  return { ...standIn, invalidations };
}
