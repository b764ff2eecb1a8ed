// Invalidates a CloudFront distribution and waits until the edge has dropped the old site.

import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { step, SyncError } from './errors.js';
import type { Say } from './log.js';
import { pollUntil, secondsSince, type PollOptions } from './poll.js';

export function cloudFrontClient(): CloudFrontClient {
  // CloudFront is global and signs in us-east-1; AWS_ENDPOINT_URL_CLOUDFRONT is read by the SDK.
  return new CloudFrontClient({ region: 'us-east-1' });
}

export async function invalidateCloudFront(
  client: CloudFrontClient,
  distribution: string,
  poll: Omit<PollOptions, 'waiting'>,
  say: Say,
): Promise<void> {
  say(`invalidating CloudFront distribution ${distribution} ...`);
  const start = Date.now();
  const created = await step(`invalidating CloudFront distribution ${distribution}`, () =>
    client.send(new CreateInvalidationCommand({
      DistributionId: distribution,
      // Unique per deploy, so that a retried deploy makes a new invalidation instead of replaying one.
      InvalidationBatch: { CallerReference: `pilot-sync-${start}`, Paths: { Quantity: 1, Items: ['/*'] } },
    })),
  );
  const id = created.Invalidation?.Id;
  if (!id) throw new SyncError(`CloudFront returned no invalidation id for distribution ${distribution}`);
  let status = created.Invalidation?.Status;
  await pollUntil(async () => {
    if (status === 'Completed') return true;
    const current = await step(`checking invalidation ${id}`, () =>
      client.send(new GetInvalidationCommand({ DistributionId: distribution, Id: id })),
    );
    status = current.Invalidation?.Status;
    return status === 'Completed';
  }, { ...poll, waiting: () => `invalidation ${id} still ${status ?? 'InProgress'}` });
  say(`invalidation ${id} completed in ${secondsSince(start)}`);
}
