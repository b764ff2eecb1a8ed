// The --help text of `pilot new app`.

export const newAppHelp = `Usage: pilot new app [DIR] --name NAME --platform ecs|lambda|cloud-run|static --repo URL
                     [--project P] [--ref REF] [--path PATH] [--builder pack|docker|yarn]
                     [--provider aws|gcp] [--region REGION] [--gcp-project ID]
                     [--port N] [--cpu N] [--memory MiB] [--domain HOST]
                     [--depends-on APP,APP] [--format text|json]

Appends an app to the apps: list of project P, in the manifest under DIR
(default: the current directory) that declares P. Everything already in the file
(comments, blank lines, layout) stays as written; the new item follows the style
of the items before it, and apps: is created when the project has none.

Only the keys you give, and those the project cannot supply, are written:
provider, region and gcpProject come from the project's defaults when it has them.
Nothing is written when the repository, with the app added, would not validate
('pilot validate'): every problem is printed as FILE:LINE:COL, lines being those
of the file with the app added.

When a required value is missing and stdin is a terminal, pilot asks for it, as
the original 'pilot new app' did: project, provider, app name, source path,
frontend-only or not (then ECS or Lambda on AWS), region, GCP project, repository.

Options:
  --project P          the project (default: the only project under DIR)
  --name NAME          app name, unique in the project (required)
  --platform PLATFORM  ecs | lambda (aws), cloud-run (gcp), static (both) (required)
  --repo URL           git URL of the app: https://, ssh://, git@host:path, file:/// (required)
  --ref REF            branch, tag or commit (default main, not written)
  --path PATH          folder of the app in its repository (default ., not written)
  --builder B          pack | docker | yarn (default: yarn for static, docker for
                       lambda, pack otherwise)
  --provider aws|gcp   default: the project's, else the one the platform needs
  --region REGION      default: the project's
  --gcp-project ID     gcp only; default: the project's
  --port N             port the app listens on (ecs, cloud-run; default 8080)
  --cpu N              vCPU (ecs: 0.25, 0.5, 1, 2, 4; cloud-run: 1, 2)
  --memory MiB         memory (ecs: what Fargate allows for the cpu; cloud-run:
                       128-4096; lambda: 128-10240)
  --domain HOST        custom domain, e.g. www.acme.com
  --depends-on A,B     apps of the project to deploy first
  --format text|json   output (default text); json prints { "file", "project", "app" }
  -h, --help           show this help

Exit codes: 0 added, 1 not added (unknown project, invalid result, repository
already invalid), 2 wrong usage (including a missing required flag when stdin
is not a terminal).

Example:
  pilot new app . --project acme --name api --platform ecs \\
    --repo https://github.com/acme/api.git --cpu 0.5 --memory 1024 --depends-on web
`;
