// Request checks shared by projects and jobs, with the real server's wording.

import type { Violations } from './errors.js';
import type { DataSource } from './types.js';

/** Project and app names: Waypoint's validatePathToken, plus "required". */
export function nameProblem(name: string): string | undefined {
  if (name === '') return 'cannot be blank';
  if (name.includes('../')) return "name cannot contain '../'";
  if (!/^[a-zA-Z0-9_-]*$/.test(name)) return `name ${JSON.stringify(name)} must be alpha numeric`;
  return undefined;
}

function gitPathProblem(path: string): string | undefined {
  if (path === '') return undefined;
  if (path.split('/').includes('..')) return "must not contain '..'";
  if (path.startsWith('/')) return 'must be relative';
  if (path.startsWith('./')) return "relative path shouldn't start with ./";
  if (path.includes('//')) return "path should not contain repeated separator characters such as '//'";
  return undefined;
}

/** ValidateJobDataSourceRules: a source must be chosen; git needs a url, a clean
 * relative path, and complete credentials. */
export function dataSourceViolations(source: DataSource): Violations {
  if (!source.source) return { Source: 'cannot be blank' };
  const git = source.source === 'git' ? source.git : undefined;
  if (!git) return {};
  const problems: Violations = {};
  if (git.url === '') problems.url = 'cannot be blank';
  const path = gitPathProblem(git.path);
  if (path) problems.path = path;
  if (git.auth === 'basic' && git.basic) {
    const basic: Violations = {};
    if (git.basic.username === '') basic.username = 'cannot be blank';
    if (git.basic.password === '') basic.password = 'cannot be blank';
    if (Object.keys(basic).length) problems.Auth = basic;
  }
  if (git.auth === 'ssh' && git.ssh) {
    const pem = Buffer.from(git.ssh.private_key_pem).toString('utf8');
    // The real server parses the key with go-git; a PEM private-key block is as far as this checks.
    if (pem === '') problems.Auth = { private_key_pem: 'cannot be blank' };
    else if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) problems.Auth = { private_key_pem: 'ssh: no key found' };
  }
  return Object.keys(problems).length ? { Source: problems } : {};
}
