// The Compute API's urlMaps.invalidateCache and globalOperations.get, with bearer tokens checked.

import { randomBytes } from 'node:crypto';
import { send, sendJson, startStandIn, type StandIn } from './http-stand-in.js';
import { googleError, requireBearer } from './google-errors.js';

export interface ComputeOperation {
  name: string;
  urlMap: string;
  path: string;
  polls: number;
}

export interface ComputeStandIn extends StandIn {
  operations: ComputeOperation[];
}

export interface ComputeStandInOptions {
  project: string;
  /** URL maps of `project`; "other-project/name" adds a URL map of another project. */
  urlMaps: string[];
  isValidToken(token: string): boolean;
  /** operations.get answers RUNNING this many times, then DONE. */
  runningPolls?: number;
  /** When set, every operation ends DONE with this error. */
  failWith?: { code: string; message: string };
}

export async function startComputeStandIn(options: ComputeStandInOptions): Promise<ComputeStandIn> {
  const operations: (ComputeOperation & { project: string })[] = [];
  const runningPolls = options.runningPolls ?? 1;
  let standIn: StandIn;
  const projectOf = (urlMap: string) => (urlMap.includes('/') ? urlMap.split('/')[0]! : options.project);
  const known = (project: string, urlMap: string) => options.urlMaps.includes(project === options.project ? urlMap : `${project}/${urlMap}`);
  function resource(operation: ComputeOperation & { project: string }, done: boolean): object {
    const base = `${standIn.url}/compute/v1/projects/${operation.project}/global`;
    return {
      kind: 'compute#operation', id: String(BigInt(`0x${randomBytes(7).toString('hex')}`)), name: operation.name,
      operationType: 'invalidateCache', targetLink: `${base}/urlMaps/${operation.urlMap}`, status: done ? 'DONE' : 'RUNNING',
      progress: done ? 100 : 0, insertTime: new Date().toISOString(), selfLink: `${base}/operations/${operation.name}`,
      ...(done && options.failWith ? { error: { errors: [options.failWith] } } : {}),
    };
  }
  standIn = await startStandIn((req, res) => {
    const match = /^\/compute\/v1\/projects\/([^/]+)\/global\/(urlMaps\/([^/]+)\/invalidateCache|operations\/([^/]+))$/.exec(req.path);
    if (!match) return send(res, 404, 'text/html', 'Not Found');
    if (!requireBearer(req, res, options.isValidToken)) return;
    const [, project, , urlMap, operationName] = match;
    if (project !== options.project && !options.urlMaps.some((u) => projectOf(u) === project)) return googleError(res, 404, `The resource 'projects/${project}' was not found`, 'notFound');
    if (urlMap !== undefined && req.method === 'POST') {
      if (!known(project!, urlMap)) return googleError(res, 404, `The resource 'projects/${project}/global/urlMaps/${urlMap}' was not found`, 'notFound');
      let body: { path?: unknown };
      try {
        body = JSON.parse(req.body.toString('utf8')) as { path?: unknown };
      } catch {
        return googleError(res, 400, 'Invalid JSON payload received.', 'parseError');
      }
      if (typeof body.path !== 'string' || !body.path.startsWith('/')) return googleError(res, 400, "Invalid value for field 'resource.path'", 'invalid');
      const operation = { name: `operation-${Date.now()}-${randomBytes(6).toString('hex')}`, urlMap, path: body.path, polls: 0, project: project! };
      operations.push(operation);
      return sendJson(res, 200, resource(operation, false));
    }
    if (operationName !== undefined && req.method === 'GET') {
      const operation = operations.find((seen) => seen.name === operationName);
      if (!operation) return googleError(res, 404, `The resource 'projects/${project}/global/operations/${operationName}' was not found`, 'notFound');
      operation.polls++;
      return sendJson(res, 200, resource(operation, operation.polls > runningPolls));
    }
    return googleError(res, 405, `Method ${req.method} is not allowed`, 'httpMethodNotAllowed');
  });
  return { ...standIn, operations };
}
