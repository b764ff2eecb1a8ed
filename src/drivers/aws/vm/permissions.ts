// Everything the Pilot VM's role may do on AWS, as data: one statement per group, with
// who needs it and why, so the README's table is generated from the same list the
// policies are made of. No action has a wildcard; "*" as a resource appears only for
// actions AWS authorizes on no resource (Describe*, GetAuthorizationToken, ...).
//
// In resources, {partition}, {account}, {stateBucket} and {webhookSecret} are filled
// in by identity.ts. Region is "*": a project's apps may be in any region.

/** Each managed policy stays under IAM's 6,144-character limit; the groups say which one holds them. */
export type AwsPolicyName = 'core' | 'stacks' | 'waypoint' | 'sync';

export interface AwsPermissionGroup {
  /** The statement id, and the group's name in the README. */
  sid: string;
  policy: AwsPolicyName;
  /** Deny groups protect what an Allow elsewhere would otherwise reach. */
  effect?: 'Deny';
  who: string;
  why: string;
  actions: readonly string[];
  resources: readonly string[];
  condition?: readonly { test: string; variable: string; values: readonly string[] }[];
}

const account = (service: string, resource: string) => `arn:{partition}:${service}:*:{account}:${resource}`;
/** Buckets, repositories and databases of the project stacks are all named `pilot-<project>-...` (src/drivers/aws/names.ts). */
const stackBuckets = ['arn:{partition}:s3:::pilot-*'];
const stackObjects = ['arn:{partition}:s3:::pilot-*/*'];
const stackRepositories = [account('ecr', 'repository/pilot-*')];
/** The roles Waypoint's plugins make: ECS execution roles "ecr-<app>" (builtin/aws/ecs/platform.go 2570-2575), Lambda roles "lambda-<app>" (builtin/aws/lambda/platform.go 185). */
const waypointRoles = ['arn:{partition}:iam::{account}:role/ecr-*', 'arn:{partition}:iam::{account}:role/lambda-*'];
const distributions = ['arn:{partition}:cloudfront::{account}:distribution/*'];

export const awsPermissions: readonly AwsPermissionGroup[] = [
  // ---- core: the VM itself --------------------------------------------------------
  {
    sid: 'StateBucketList', policy: 'core',
    who: "Terraform's S3 backend (the daemon applying project stacks)",
    why: 'finds state files and lock files in the state bucket',
    actions: ['s3:ListBucket'],
    resources: ['arn:{partition}:s3:::{stateBucket}'],
  },
  {
    sid: 'StateObjects', policy: 'core',
    who: "Terraform's S3 backend",
    why: 'reads and writes state; use_lockfile creates and deletes the .tflock object',
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    resources: ['arn:{partition}:s3:::{stateBucket}/*'],
  },
  {
    sid: 'StateBucketKept', policy: 'core', effect: 'Deny',
    who: 'nobody on the VM',
    why: 'the state bucket may match pilot-*: its settings and old state versions are never changed from the VM',
    actions: [
      's3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketPolicy', 's3:PutBucketVersioning', 's3:PutBucketPublicAccessBlock',
      's3:PutEncryptionConfiguration', 's3:PutBucketOwnershipControls', 's3:PutLifecycleConfiguration', 's3:DeleteObjectVersion',
    ],
    resources: ['arn:{partition}:s3:::{stateBucket}', 'arn:{partition}:s3:::{stateBucket}/*'],
  },
  {
    sid: 'WebhookSecretRead', policy: 'core',
    who: 'cloud-init at first boot',
    why: 'reads the webhook secret into /etc/pilot/webhook-secret; this one secret only',
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    resources: ['{webhookSecret}'],
  },
  {
    sid: 'SessionManagerAgent', policy: 'core',
    who: 'the SSM agent (preinstalled on Ubuntu AMIs)',
    why: 'a shell through Session Manager, without opening port 22',
    actions: ['ssm:UpdateInstanceInformation'],
    resources: [account('ec2', 'instance/*')],
  },
  {
    sid: 'SessionManagerChannels', policy: 'core',
    who: 'the SSM agent',
    why: 'Session Manager channels; ssmmessages authorizes on no resource, hence "*"',
    actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
    resources: ['*'],
  },
  // ---- stacks: Terraform's project stacks (src/drivers/aws/*.ts) ------------------
  {
    sid: 'StacksDescribe', policy: 'stacks',
    who: "Terraform's project stacks (refresh and data sources)",
    why: 'reads VPCs, subnets, zones, routes and groups; EC2 Describe* and ACM RequestCertificate authorize on no resource, hence "*"',
    actions: [
      'ec2:DescribeAvailabilityZones', 'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeSubnets', 'ec2:DescribeInternetGateways',
      'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeNetworkAcls',
      'ec2:DescribeNetworkInterfaces', 'acm:RequestCertificate',
    ],
    resources: ['*'],
  },
  {
    sid: 'StacksNetwork', policy: 'stacks',
    who: "Terraform's project stacks (network.ts, security-groups.ts)",
    why: 'a VPC, subnets, gateway, routes and security groups per project; their ids are unknown before creation, so the account is the scope',
    actions: [
      'ec2:CreateVpc', 'ec2:DeleteVpc', 'ec2:ModifyVpcAttribute', 'ec2:CreateSubnet', 'ec2:DeleteSubnet', 'ec2:ModifySubnetAttribute',
      'ec2:CreateInternetGateway', 'ec2:DeleteInternetGateway', 'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway',
      'ec2:CreateRouteTable', 'ec2:DeleteRouteTable', 'ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable',
      'ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:ModifySecurityGroupRules', 'ec2:CreateTags', 'ec2:DeleteTags',
    ],
    resources: [account('ec2', '*')],
  },
  {
    sid: 'StacksDatabases', policy: 'stacks',
    who: "Terraform's project stacks (database.ts)",
    why: 'RDS instances "pilot-*", their subnet groups and final snapshots; the default option and parameter groups they use',
    actions: [
      'rds:CreateDBInstance', 'rds:ModifyDBInstance', 'rds:DeleteDBInstance', 'rds:CreateDBSnapshot', 'rds:CreateDBSubnetGroup',
      'rds:ModifyDBSubnetGroup', 'rds:DeleteDBSubnetGroup', 'rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:ListTagsForResource',
    ],
    resources: [account('rds', 'db:pilot-*'), account('rds', 'subgrp:pilot-*'), account('rds', 'snapshot:pilot-*'), account('rds', 'og:default*'), account('rds', 'pg:default*')],
  },
  {
    sid: 'StacksDatabaseReads', policy: 'stacks',
    who: "Terraform's project stacks",
    why: 'the provider may look instances up by filter, which RDS authorizes on every instance of the account',
    actions: ['rds:DescribeDBInstances', 'rds:DescribeDBSubnetGroups'],
    resources: [account('rds', 'db:*'), account('rds', 'subgrp:*')],
  },
  {
    sid: 'StacksRegistries', policy: 'stacks',
    who: "Terraform's project stacks (registry.ts)",
    why: 'an ECR repository "pilot-<project>-<app>" per container app',
    actions: [
      'ecr:CreateRepository', 'ecr:DeleteRepository', 'ecr:DescribeRepositories', 'ecr:PutImageScanningConfiguration',
      'ecr:PutImageTagMutability', 'ecr:TagResource', 'ecr:UntagResource', 'ecr:ListTagsForResource',
    ],
    resources: stackRepositories,
  },
  {
    sid: 'StacksBuckets', policy: 'stacks',
    who: "Terraform's project stacks (bucket.ts, static-site.ts)",
    why: 'private site buckets "pilot-*": creation, the settings the provider reads back, the CloudFront-only policy',
    actions: [
      's3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation', 's3:GetBucketTagging',
      's3:PutBucketTagging', 's3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:GetBucketPublicAccessBlock',
      's3:PutBucketPublicAccessBlock', 's3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls', 's3:GetEncryptionConfiguration',
      's3:PutEncryptionConfiguration', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketWebsite', 's3:GetBucketVersioning',
      's3:GetAccelerateConfiguration', 's3:GetBucketRequestPayment', 's3:GetBucketLogging', 's3:GetLifecycleConfiguration',
      's3:GetReplicationConfiguration', 's3:GetBucketObjectLockConfiguration',
    ],
    resources: stackBuckets,
  },
  {
    sid: 'StacksBucketObjects', policy: 'stacks',
    who: "Terraform's project stacks",
    why: 'force_destroy empties a pruned site bucket before deleting it',
    actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    resources: stackObjects,
  },
  {
    sid: 'StacksCdn', policy: 'stacks',
    who: "Terraform's project stacks (static-site.ts)",
    why: 'a CloudFront distribution and origin access control per static site',
    actions: [
      'cloudfront:CreateDistribution', 'cloudfront:GetDistribution', 'cloudfront:UpdateDistribution', 'cloudfront:DeleteDistribution',
      'cloudfront:TagResource', 'cloudfront:UntagResource', 'cloudfront:ListTagsForResource', 'cloudfront:CreateOriginAccessControl',
      'cloudfront:GetOriginAccessControl', 'cloudfront:UpdateOriginAccessControl', 'cloudfront:DeleteOriginAccessControl',
    ],
    resources: [...distributions, 'arn:{partition}:cloudfront::{account}:origin-access-control/*'],
  },
  {
    sid: 'StacksCertificates', policy: 'stacks',
    who: "Terraform's project stacks (certificate.ts)",
    why: "a site's certificate in us-east-1 and its DNS validation",
    actions: ['acm:DescribeCertificate', 'acm:DeleteCertificate', 'acm:ListTagsForCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate'],
    resources: ['arn:{partition}:acm:us-east-1:{account}:certificate/*'],
  },
  {
    sid: 'ServiceLinkedRoles', policy: 'stacks',
    who: 'RDS, ECS and Elastic Load Balancing, the first time the account uses them',
    why: "each service's own role, created on first use; no other service name is accepted",
    actions: ['iam:CreateServiceLinkedRole'],
    resources: ['arn:{partition}:iam::{account}:role/aws-service-role/*'],
    condition: [{ test: 'StringEquals', variable: 'iam:AWSServiceName', values: ['rds.amazonaws.com', 'ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] }],
  },
  // ---- waypoint: the aws-ecr, aws-ecs, aws-lambda and lambda-function-url plugins (v0.11.4) --
  {
    sid: 'WaypointDescribe', policy: 'waypoint',
    who: "Waypoint's aws-ecs, aws-lambda and aws-ecr plugins",
    why: 'subnets, groups, load balancers, task definitions, the registry login; these authorize on no resource, hence "*"',
    actions: [
      'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition',
      'ecs:DeregisterTaskDefinition', 'ecs:ListTasks', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTargetHealth',
      'logs:DescribeLogGroups', 'ecr:GetAuthorizationToken',
    ],
    resources: ['*'],
  },
  {
    sid: 'WaypointEcs', policy: 'waypoint',
    who: "Waypoint's aws-ecs plugin",
    why: 'services in its cluster "waypoint", task definitions "waypoint-<app>"',
    actions: ['ecs:DescribeClusters', 'ecs:CreateService', 'ecs:DescribeServices', 'ecs:DeleteService', 'ecs:DescribeTasks', 'ecs:TagResource'],
    resources: [account('ecs', 'cluster/waypoint'), account('ecs', 'service/waypoint/*'), account('ecs', 'task/waypoint/*'), account('ecs', 'task-definition/waypoint-*:*')],
  },
  {
    sid: 'WaypointLoadBalancers', policy: 'waypoint',
    who: "Waypoint's aws-ecs plugin (ALB \"waypoint-ecs-<app>\") and aws-lambda plugin (a target group per function)",
    why: 'load balancers, listeners and target groups of the apps',
    actions: [
      'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:AddTags',
    ],
    resources: [
      account('elasticloadbalancing', 'loadbalancer/app/waypoint-ecs-*/*'), account('elasticloadbalancing', 'listener/app/waypoint-ecs-*/*'),
      account('elasticloadbalancing', 'targetgroup/*'),
    ],
  },
  {
    sid: 'WaypointSecurityGroups', policy: 'waypoint',
    who: "Waypoint's aws-ecs plugin",
    why: 'the "<app>-inbound" groups of load balancers and tasks',
    actions: ['ec2:CreateSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:DeleteSecurityGroup', 'ec2:CreateTags'],
    resources: [account('ec2', 'security-group/*'), account('ec2', 'vpc/*')],
  },
  {
    sid: 'WaypointLogs', policy: 'waypoint',
    who: "Waypoint's aws-ecs plugin",
    why: 'its log group "waypoint-logs"',
    actions: ['logs:CreateLogGroup'],
    resources: [account('logs', 'log-group:waypoint-logs'), account('logs', 'log-group:waypoint-logs:*')],
  },
  {
    sid: 'WaypointRoles', policy: 'waypoint',
    who: "Waypoint's aws-ecs and aws-lambda plugins",
    why: 'the execution roles they make ("ecr-<app>", "lambda-<app>") and nothing else',
    actions: ['iam:GetRole', 'iam:CreateRole', 'iam:DeleteRole', 'iam:ListAttachedRolePolicies'],
    resources: waypointRoles,
  },
  {
    sid: 'WaypointRolePolicies', policy: 'waypoint',
    who: "Waypoint's aws-ecs and aws-lambda plugins",
    why: 'only the two AWS policies they attach: a role made here can never be given more',
    actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
    resources: waypointRoles,
    condition: [{
      test: 'ArnEquals', variable: 'iam:PolicyARN',
      values: ['arn:{partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', 'arn:{partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    }],
  },
  {
    sid: 'WaypointPassRole', policy: 'waypoint',
    who: "Waypoint's aws-ecs and aws-lambda plugins",
    why: 'hands those roles to ECS tasks and Lambda functions, and to no other service',
    actions: ['iam:PassRole'],
    resources: waypointRoles,
    condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'] }],
  },
  {
    sid: 'WaypointLambda', policy: 'waypoint',
    who: "Waypoint's aws-lambda and lambda-function-url plugins",
    why: 'functions named after the apps, their versions, permissions and URLs',
    actions: [
      'lambda:GetFunction', 'lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:PublishVersion',
      'lambda:DeleteFunction', 'lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy', 'lambda:CreateFunctionUrlConfig',
      'lambda:GetFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig', 'lambda:TagResource',
    ],
    resources: [account('lambda', 'function:*')],
  },
  {
    sid: 'WaypointImages', policy: 'waypoint',
    who: "Waypoint's aws-ecr registry (docker push) and aws-lambda (Lambda reads the image through the repository policy)",
    why: 'pushes images to the "pilot-*" repositories',
    actions: [
      'ecr:DescribeRepositories', 'ecr:CreateRepository', 'ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetRepositoryPolicy', 'ecr:SetRepositoryPolicy',
    ],
    resources: stackRepositories,
  },
  // ---- sync: pilot-sync on the runner (plugins/pilot-sync) --------------------------
  {
    sid: 'SyncList', policy: 'sync',
    who: 'pilot-sync',
    why: 'lists a site bucket to compare it with the build',
    actions: ['s3:ListBucket'],
    resources: stackBuckets,
  },
  {
    sid: 'SyncObjects', policy: 'sync',
    who: 'pilot-sync',
    why: 'uploads changed files and deletes stale ones',
    actions: ['s3:PutObject', 's3:DeleteObject'],
    resources: stackObjects,
  },
  {
    sid: 'SyncInvalidation', policy: 'sync',
    who: 'pilot-sync',
    why: 'invalidates the CDN after a sync and waits for it',
    actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
    resources: distributions,
  },
];
