// Security checks of a Pilot VM stack's Terraform JSON (AWS or GCP), each returning
// every problem it finds as a sentence: used on the synthesized stacks and on the
// files `pilot bootstrap --dry-run` writes. Written from the rules, not from the
// stacks' code: nothing here imports src/drivers/*/vm.

import { gunzipSync } from 'node:zlib';
import { vmOutputs, vmPorts } from '../../src/bootstrap/options.js';

// The JSON is walked by hand; its blocks are loosely typed on purpose.
type Block = Record<string, any>;
export type TerraformJson = Record<string, unknown>;

export interface VmCheckContext {
  /** Without it, Waypoint's ports must have no rule at all. */
  adminCidr?: string;
  sshCidr?: string;
  stateBucket: string;
  /** The user-data as rendered; the stack must hand it to the VM unchanged. */
  userData: string;
}

const anywhere = ['0.0.0.0/0', '::/0'];
const dockerPorts = [2375, 2376];
const primitiveRoles = ['roles/owner', 'roles/editor', 'roles/viewer'];
const forbiddenActions = ['iam:createaccesskey', 'iam:createuser'];
const forbiddenResources = ['aws_iam_access_key', 'aws_iam_user', 'aws_iam_user_policy', 'aws_iam_user_policy_attachment', 'google_service_account_key'];

function resources(json: TerraformJson, type: string): [string, Block][] {
  return Object.entries(((json.resource ?? {}) as Record<string, Record<string, Block>>)[type] ?? {});
}

function dataSources(json: TerraformJson, type: string): [string, Block][] {
  return Object.entries(((json.data ?? {}) as Record<string, Record<string, Block>>)[type] ?? {});
}

/** Single nested blocks come out as an object from cdktf and as a one-element list from HCL converters. */
function single(value: unknown): Block | undefined {
  if (Array.isArray(value)) return value[0] as Block | undefined;
  return value as Block | undefined;
}

function list<T = any>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}

// ---- Ingress ------------------------------------------------------------------------

interface IngressRule {
  where: string;
  /** Inclusive port range; all ports when the protocol is "all". */
  from: number;
  to: number;
  sources: string[];
}

function awsPortRange(protocol: unknown, from: unknown, to: unknown): [number, number] {
  if (protocol === '-1' || protocol === 'all' || protocol === -1) return [0, 65535];
  return [Number(from ?? 0), Number(to ?? from ?? 65535)];
}

function gcpPortRanges(allow: Block): [number, number][] {
  const protocol = String(allow.protocol ?? '');
  const ports = list<string>(allow.ports);
  if (protocol === 'all' || ports.length === 0) return [[0, 65535]];
  return ports.map((port) => {
    const [low, high] = String(port).split('-').map(Number);
    return [low!, high ?? low!];
  });
}

export function ingressRulesOf(json: TerraformJson): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const [name, group] of resources(json, 'aws_security_group')) {
    for (const rule of list(group.ingress)) {
      const [from, to] = awsPortRange(rule.protocol, rule.from_port, rule.to_port);
      rules.push({ where: `aws_security_group.${name}`, from, to, sources: [...list(rule.cidr_blocks), ...list(rule.ipv6_cidr_blocks)] });
    }
  }
  for (const [name, rule] of resources(json, 'aws_vpc_security_group_ingress_rule')) {
    const [from, to] = awsPortRange(rule.ip_protocol, rule.from_port, rule.to_port);
    rules.push({ where: `aws_vpc_security_group_ingress_rule.${name}`, from, to, sources: [rule.cidr_ipv4, rule.cidr_ipv6].filter((s) => s !== undefined) });
  }
  for (const [name, rule] of resources(json, 'aws_security_group_rule')) {
    if (rule.type !== 'ingress') continue;
    const [from, to] = awsPortRange(rule.protocol, rule.from_port, rule.to_port);
    rules.push({ where: `aws_security_group_rule.${name}`, from, to, sources: [...list(rule.cidr_blocks), ...list(rule.ipv6_cidr_blocks)] });
  }
  for (const [name, firewall] of resources(json, 'google_compute_firewall')) {
    if ((firewall.direction ?? 'INGRESS') !== 'INGRESS' || firewall.disabled === true) continue;
    // Without source ranges, tags or accounts, GCP admits every address.
    const hasOtherSources = list(firewall.source_tags).length > 0 || list(firewall.source_service_accounts).length > 0;
    const sources = list<string>(firewall.source_ranges);
    for (const allow of list(firewall.allow)) {
      for (const [from, to] of gcpPortRanges(allow)) {
        rules.push({ where: `google_compute_firewall.${name}`, from, to, sources: sources.length === 0 && !hasOtherSources ? ['0.0.0.0/0'] : sources });
      }
    }
  }
  return rules;
}

const covers = (rule: IngressRule, port: number) => rule.from <= port && port <= rule.to;

/** 443 from anywhere; 9701/9702 from adminCidr only, and not at all without it; 22 likewise from sshCidr; nothing else. */
export function ingressProblems(json: TerraformJson, context: Pick<VmCheckContext, 'adminCidr' | 'sshCidr'>): string[] {
  const problems: string[] = [];
  const rules = ingressRulesOf(json);
  const waypoint = context.adminCidr ? [vmPorts.waypointGrpc, vmPorts.waypointUi] : [];
  const allowed = new Set<number>([vmPorts.https, ...waypoint, ...(context.sshCidr ? [vmPorts.ssh] : [])]);
  for (const rule of rules) {
    const ports = rule.from === rule.to ? `${rule.from}` : `${rule.from}-${rule.to}`;
    for (const source of rule.sources) {
      if (anywhere.includes(source) && !(rule.from === vmPorts.https && rule.to === vmPorts.https)) {
        problems.push(`${rule.where}: port ${ports} is open to ${source}; only ${vmPorts.https} may be`);
      }
    }
    if (rule.to - rule.from > 1 || ![rule.from, rule.to].every((port) => allowed.has(port))) {
      problems.push(`${rule.where}: port ${ports} is not one the VM may open`);
    }
    for (const port of [vmPorts.waypointGrpc, vmPorts.waypointUi]) {
      if (!covers(rule, port)) continue;
      if (!context.adminCidr) problems.push(`${rule.where}: port ${port} is open although no admin CIDR was given`);
      else if (rule.sources.some((source) => source !== context.adminCidr)) {
        problems.push(`${rule.where}: port ${port} admits ${rule.sources.join(', ')}, not only the admin CIDR ${context.adminCidr}`);
      }
    }
    if (covers(rule, vmPorts.ssh)) {
      if (!context.sshCidr) problems.push(`${rule.where}: port 22 is open although no SSH CIDR was given`);
      else if (rule.sources.some((source) => source !== context.sshCidr)) problems.push(`${rule.where}: port 22 admits ${rule.sources.join(', ')}, not only ${context.sshCidr}`);
    }
  }
  const wanted = [vmPorts.https, ...waypoint, ...(context.sshCidr ? [vmPorts.ssh] : [])];
  for (const port of wanted) {
    if (!rules.some((rule) => covers(rule, port) && rule.sources.length > 0)) problems.push(`port ${port} has no ingress rule`);
  }
  return problems;
}

// ---- Docker's API ports -------------------------------------------------------------

/** The user-data as the VM gets it is checked for a Docker daemon on TCP; the rest of the JSON for the numbers at all. */
export function dockerPortProblems(json: TerraformJson): string[] {
  const problems: string[] = [];
  for (const rule of ingressRulesOf(json)) {
    for (const port of dockerPorts) if (covers(rule, port)) problems.push(`${rule.where}: admits Docker's API port ${port}`);
  }
  const userData: string[] = [];
  const withoutUserData = JSON.stringify(json, (key, value) => {
    if ((key === 'user_data' || key === 'user-data') && typeof value === 'string') {
      userData.push(value);
      return '';
    }
    if (key === 'user_data_base64' && typeof value === 'string') {
      userData.push(unpackUserData(value));
      return '';
    }
    return value;
  });
  const found = withoutUserData.match(/(?<![\d.])237[56](?!\d)/g);
  if (found) problems.push(`the JSON mentions ${[...new Set(found)].join(' and ')} (Docker's API ports)`);
  for (const text of userData) {
    if (/tcp:\/\/[^\s"']*:237[56]\b|-H\s*tcp:/.test(text)) problems.push("the user-data makes Docker listen on TCP");
  }
  return problems;
}

// ---- IAM ----------------------------------------------------------------------------

interface Statement {
  where: string;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
  conditionVariables: string[];
}

function literalPolicyStatements(where: string, text: unknown): Statement[] {
  if (typeof text !== 'string' || !text.trim().startsWith('{')) return [];
  let document: Block;
  try {
    document = JSON.parse(text) as Block;
  } catch {
    return [];
  }
  return list(document.Statement).map((s: Block, index) => ({
    where: `${where}[${index}]`,
    effect: String(s.Effect ?? ''),
    actions: list<string>(s.Action),
    notActions: list<string>(s.NotAction),
    resources: list<string>(s.Resource),
    conditionVariables: Object.values((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((byKey) => Object.keys(byKey)),
  }));
}

export function policyStatementsOf(json: TerraformJson): Statement[] {
  const statements: Statement[] = [];
  for (const [name, document] of dataSources(json, 'aws_iam_policy_document')) {
    list(document.statement).forEach((s: Block, index) => {
      statements.push({
        where: `data.aws_iam_policy_document.${name}.statement[${index}]${s.sid ? ` (${s.sid})` : ''}`,
        effect: String(s.effect ?? 'Allow'),
        actions: list<string>(s.actions),
        notActions: list<string>(s.not_actions),
        resources: list<string>(s.resources),
        conditionVariables: list(s.condition).map((c: Block) => String(c.variable)),
      });
    });
  }
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Block>>)) {
    for (const [name, body] of Object.entries(byName)) {
      for (const field of ['policy', 'assume_role_policy']) statements.push(...literalPolicyStatements(`${type}.${name}.${field}`, body[field]));
      for (const inline of list(body.inline_policy)) statements.push(...literalPolicyStatements(`${type}.${name}.inline_policy`, inline.policy));
    }
  }
  return statements;
}

/**
 * Allow statements only: a Deny with a wildcard (the state bucket's TLS rule) takes
 * rights away and never grants one.
 */
export function iamProblems(json: TerraformJson): string[] {
  const problems: string[] = [];
  for (const s of policyStatementsOf(json)) {
    if (s.effect !== 'Allow') continue;
    if (s.notActions.length > 0) problems.push(`${s.where}: an Allow with NotAction grants everything else`);
    for (const action of s.actions) {
      if (action.includes('*')) problems.push(`${s.where}: action ${action} has a wildcard`);
      if (forbiddenActions.includes(action.toLowerCase())) problems.push(`${s.where}: allows ${action}`);
    }
    if (s.actions.some((action) => action.toLowerCase() === 'iam:passrole')) {
      if (s.resources.some((resource) => resource === '*' || /:role\/\*$/.test(resource))) problems.push(`${s.where}: iam:PassRole on any role`);
      if (!s.conditionVariables.includes('iam:PassedToService')) problems.push(`${s.where}: iam:PassRole without an iam:PassedToService condition`);
    }
  }
  for (const type of forbiddenResources) {
    for (const [name] of resources(json, type)) problems.push(`${type}.${name}: long-lived credentials or users are never created`);
  }
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Block>>)) {
    for (const [name, body] of Object.entries(byName)) {
      if (typeof body.role === 'string' && primitiveRoles.includes(body.role)) problems.push(`${type}.${name}: grants the primitive role ${body.role}`);
      if (type === 'google_project_iam_custom_role') {
        for (const permission of list<string>(body.permissions)) if (permission.includes('*')) problems.push(`${type}.${name}: permission ${permission} has a wildcard`);
      }
    }
  }
  return problems;
}

// ---- The state bucket ---------------------------------------------------------------

/** Resources of `type` whose `bucket` field points at the resource at `address`. */
function attachedTo(json: TerraformJson, type: string, address: string): Block[] {
  return resources(json, type).map(([, body]) => body).filter((body) => typeof body.bucket === 'string' && body.bucket.startsWith(`\${${address}.`));
}

function awsStateBucketProblems(json: TerraformJson, name: string, key: string, bucket: Block): string[] {
  const problems: string[] = [];
  const address = `aws_s3_bucket.${key}`;
  if (bucket.force_destroy === true) problems.push(`${address}: force_destroy would delete every project's state with the VM`);
  const versioning = attachedTo(json, 'aws_s3_bucket_versioning', address).map((v) => single(v.versioning_configuration)?.status);
  if (!versioning.includes('Enabled')) problems.push(`${address}: the state bucket ${name} is not versioned`);
  const encryption = attachedTo(json, 'aws_s3_bucket_server_side_encryption_configuration', address)
    .flatMap((e) => list(e.rule))
    .map((rule: Block) => single(rule.apply_server_side_encryption_by_default)?.sse_algorithm);
  if (!encryption.some((algorithm) => ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(algorithm))) problems.push(`${address}: the state bucket is not encrypted by default`);
  const blocks = attachedTo(json, 'aws_s3_bucket_public_access_block', address);
  const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
  if (!blocks.some((block) => flags.every((flag) => block[flag] === true))) problems.push(`${address}: public access is not blocked (all four flags)`);
  const ownership = attachedTo(json, 'aws_s3_bucket_ownership_controls', address).map((o) => single(o.rule)?.object_ownership);
  if (!ownership.includes('BucketOwnerEnforced')) problems.push(`${address}: ACLs are not disabled (BucketOwnerEnforced)`);
  const documents = new Map(dataSources(json, 'aws_iam_policy_document'));
  const tlsDenied = attachedTo(json, 'aws_s3_bucket_policy', address).some((policy) => {
    const documentName = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(policy.policy))?.[1];
    const statements = documentName ? list(documents.get(documentName)?.statement) : [];
    const literal = literalPolicyStatements(address, policy.policy);
    return (
      statements.some((s: Block) => s.effect === 'Deny' && list(s.condition).some((c: Block) => c.variable === 'aws:SecureTransport' && list(c.values).includes('false'))) ||
      literal.some((s) => s.effect === 'Deny' && s.conditionVariables.includes('aws:SecureTransport'))
    );
  });
  if (!tlsDenied) problems.push(`${address}: the bucket policy does not deny requests without TLS`);
  return problems;
}

function gcpStateBucketProblems(json: TerraformJson, key: string, bucket: Block): string[] {
  const problems: string[] = [];
  const address = `google_storage_bucket.${key}`;
  if (bucket.force_destroy === true) problems.push(`${address}: force_destroy would delete every project's state with the VM`);
  if (bucket.uniform_bucket_level_access !== true) problems.push(`${address}: uniform bucket-level access is off`);
  if (bucket.public_access_prevention !== 'enforced') problems.push(`${address}: public access prevention is not enforced`);
  if (single(bucket.versioning)?.enabled !== true) problems.push(`${address}: the state bucket is not versioned`);
  for (const member of resources(json, 'google_storage_bucket_iam_member').map(([, body]) => body)) {
    if (String(member.bucket).startsWith(`\${${address}.`) && /^all(Authenticated)?Users$/.test(String(member.member))) problems.push(`${address}: readable by ${member.member}`);
  }
  return problems;
}

/** Private, versioned and encrypted; kept when the VM is destroyed. GCS always encrypts at rest. */
export function stateBucketProblems(json: TerraformJson, stateBucket: string): string[] {
  const aws = resources(json, 'aws_s3_bucket').find(([, body]) => body.bucket === stateBucket);
  if (aws) return awsStateBucketProblems(json, stateBucket, aws[0], aws[1]);
  const gcp = resources(json, 'google_storage_bucket').find(([, body]) => body.name === stateBucket);
  if (gcp) return gcpStateBucketProblems(json, gcp[0], gcp[1]);
  return [`no state bucket named ${stateBucket}`];
}

// ---- The instance -------------------------------------------------------------------

export function imdsProblems(json: TerraformJson): string[] {
  return resources(json, 'aws_instance')
    .filter(([, instance]) => single(instance.metadata_options)?.http_tokens !== 'required')
    .map(([name]) => `aws_instance.${name}: IMDSv2 is not required (metadata_options.http_tokens)`);
}

/** How a literal string is written in Terraform JSON: "${" and "%{" doubled, so they are not templates. */
export function terraformEscaped(text: string): string {
  // A function, not a replacement string: there "$$" would mean one "$".
  return text.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{');
}

/** EC2's user_data_base64: gzip (cloud-init unpacks it), then base64; what is not gzip reads as itself. */
export function unpackUserData(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  try {
    return gunzipSync(bytes).toString();
  } catch {
    return bytes.toString();
  }
}

export function userDataProblems(json: TerraformJson, userData: string): string[] {
  const problems: string[] = [];
  const given: [string, unknown, string][] = [
    ...resources(json, 'aws_instance').map(([name, body]): [string, unknown, string] =>
      typeof body.user_data_base64 === 'string' ? [`aws_instance.${name}.user_data_base64`, unpackUserData(body.user_data_base64), userData] : [`aws_instance.${name}.user_data`, body.user_data, terraformEscaped(userData)]),
    ...resources(json, 'google_compute_instance').map(([name, body]): [string, unknown, string] => [`google_compute_instance.${name}.metadata.user-data`, body.metadata?.['user-data'], terraformEscaped(userData)]),
  ];
  if (given.length === 0) problems.push('no instance to check the user-data of');
  for (const [where, value, expected] of given) {
    if (value !== expected) problems.push(`${where}: not the rendered user-data as it was given`);
  }
  return problems;
}

// ---- Outputs ------------------------------------------------------------------------

export function outputProblems(json: TerraformJson): string[] {
  const problems: string[] = [];
  const outputs = (json.output ?? {}) as Record<string, Block>;
  for (const name of Object.values(vmOutputs)) if (!outputs[name]) problems.push(`output ${name} is missing`);
  if (outputs[vmOutputs.webhookSecret] && outputs[vmOutputs.webhookSecret]!.sensitive !== true) problems.push(`output ${vmOutputs.webhookSecret} is not sensitive`);
  for (const [name, output] of Object.entries(outputs)) {
    if (/random_password\./.test(JSON.stringify(output.value)) && output.sensitive !== true) problems.push(`output ${name} shows a generated password without being sensitive`);
  }
  return problems;
}

/** Every check at once. */
export function vmStackProblems(json: TerraformJson, context: VmCheckContext): string[] {
  return [
    ...ingressProblems(json, context),
    ...dockerPortProblems(json),
    ...iamProblems(json),
    ...stateBucketProblems(json, context.stateBucket),
    ...imdsProblems(json),
    ...userDataProblems(json, context.userData),
    ...outputProblems(json),
  ];
}
