export const usage = `usage:
  pilot-sync --provider aws --region REGION --bucket BUCKET (--image IMAGE | --dir DIR) [--distribution CLOUDFRONT_ID]
  pilot-sync --provider gcp --project PROJECT --bucket BUCKET (--image IMAGE | --dir DIR) [--url-map URL_MAP]

Copies a built static site to its bucket (new and changed files uploaded, stale objects
deleted, Content-Type and Cache-Control set) and invalidates the CDN in front of it.

  --image IMAGE          read the site from this Docker image (through DOCKER_HOST)
  --image-path PATH      where the site is inside the image (default /site)
  --dir DIR              read the site from this folder instead
  --region REGION        AWS region of the bucket (default: AWS_REGION)
  --distribution ID      CloudFront distribution to invalidate (aws)
  --project PROJECT      Google Cloud project (gcp)
  --url-map NAME         Cloud CDN URL map to invalidate (gcp)
  --wait-timeout SECS    how long to wait for the invalidation (default 900)
  --poll-interval SECS   how often to check on it (default 5)
  --concurrency N        uploads and deletes in flight at once (default 8)
  --help                 print this and exit

Exit codes: 0 synced, 1 a step failed, 2 bad command line.
`;
