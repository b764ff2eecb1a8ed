// Last line of defence for the job log: an SDK error could quote a header or a credential file.

const secretEnv = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'GOOGLE_OAUTH_ACCESS_TOKEN'];

const patterns: RegExp[] = [
  /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /ya29\.[A-Za-z0-9._-]+/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /("?(?:private_key|access_token|refresh_token|client_secret|SecretAccessKey|SessionToken)"?\s*[:=]\s*"?)[^",\s}]+/gi,
];

export function redactor(env: NodeJS.ProcessEnv): (text: string) => string {
  const secrets = secretEnv.map((name) => env[name]).filter((value): value is string => Boolean(value && value.length >= 8));
  return (text) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    for (const pattern of patterns) out = out.replace(pattern, (_match, prefix: unknown) => `${typeof prefix === 'string' ? prefix : ''}[redacted]`);
    return out;
  };
}
