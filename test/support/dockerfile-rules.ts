// Pilot's own lint of the Dockerfiles it ships (runner-image/): each rule reads the parsed
// file and returns every problem at once, with its line (1-based) and what to do about it.

import { Add, Arg, Copy, DockerfileParser, Env, Run, type Argument, type Dockerfile, type Property } from 'dockerfile-ast';

export type DockerfileRule =
  | 'pinned-digest'
  | 'tagged'
  | 'non-root'
  | 'secret-variable'
  | 'credential-copy'
  | 'remote-add'
  | 'apt-install';

export interface DockerfileProblem {
  rule: DockerfileRule;
  line: number;
  message: string;
}

type Check = (file: Dockerfile) => DockerfileProblem[];

const lineOf = (node: { getRange(): { start: { line: number } } }): number => node.getRange().start.line + 1;

/** Build arguments declared before the first FROM: the only ones a FROM can use. */
function globalArgs(file: Dockerfile): Map<string, string | null> {
  const args = new Map<string, string | null>();
  for (const arg of file.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) args.set(property.getName(), property.getValue());
  }
  return args;
}

interface ImageUse {
  ref: string;
  line: number;
}

/** Images pulled from a registry: FROM and COPY --from that name neither an earlier stage nor scratch. */
function externalImages(file: Dockerfile): ImageUse[] {
  const args = globalArgs(file);
  const stages = new Set<string>(['scratch']);
  const uses: ImageUse[] = [];
  const consider = (raw: string, line: number): void => {
    // A global ARG with a default is that default; one without stays ${NAME}, to be passed by the build.
    const ref = raw.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => args.get(name) ?? whole);
    // COPY --from=0 names a stage by its index.
    if (!stages.has(ref.toLowerCase()) && !/^\d+$/.test(ref)) uses.push({ ref, line });
  };
  for (const instruction of file.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const [image, as, stage] = instruction.getArguments().filter((argument) => !argument.getValue().startsWith('--'));
      if (image) consider(image.getValue(), lineOf(instruction));
      if (as?.getValue().toLowerCase() === 'as' && stage) stages.add(stage.getValue().toLowerCase());
    } else if (instruction instanceof Copy) {
      const from = instruction.getFromFlag()?.getValue();
      if (from) consider(from, lineOf(instruction));
    }
  }
  return uses;
}

/** name[:tag][@digest]; a colon before the last slash is a registry's port, not a tag. */
function splitRef(ref: string): { name: string; tag: string | null; digest: string | null } {
  const [nameTag = '', digest = null] = ref.split('@');
  const colon = nameTag.lastIndexOf(':');
  const tagged = colon > nameTag.lastIndexOf('/');
  return { name: tagged ? nameTag.slice(0, colon) : nameTag, tag: tagged ? nameTag.slice(colon + 1) : null, digest };
}

const pinnedDigest: Check = (file) => {
  const args = globalArgs(file);
  const problems: DockerfileProblem[] = [];
  const check = (ref: string, line: number, what: string): void => {
    const { digest } = splitRef(ref);
    if (digest === null) {
      problems.push({ rule: 'pinned-digest', line, message: `${what} ${ref} is not pinned: add its digest (${ref}@sha256:<64 hex>, from docker buildx imagetools inspect ${ref})` });
      return;
    }
    const passed = /^sha256:\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(digest)?.[1];
    if (/^sha256:[0-9a-f]{64}$/.test(digest) || (passed !== undefined && args.get(passed) === null)) return;
    problems.push({ rule: 'pinned-digest', line, message: `${what} ${ref}: the digest must be sha256: and 64 lowercase hex digits, or a global ARG without a default that the build passes` });
  };
  for (const use of externalImages(file)) check(use.ref, use.line, 'image');
  for (const directive of file.getDirectives()) {
    if (directive.getName().toLowerCase() === 'syntax') check(directive.getValue(), lineOf(directive), 'syntax frontend');
  }
  return problems;
};

const tagged: Check = (file) =>
  externalImages(file).flatMap(({ ref, line }) => {
    const { name, tag } = splitRef(ref);
    if (tag === null) return [{ rule: 'tagged' as const, line, message: `image ${ref} has no tag: name the version the digest was taken from (${name}:<version>@sha256:...)` }];
    if (tag === 'latest') return [{ rule: 'tagged' as const, line, message: `image ${ref} uses latest, which moves: name a version tag (${name}:<version>@sha256:...)` }];
    return [];
  });

/** The comment lines directly above a line (1-based), nearest first. */
function commentsAbove(file: Dockerfile, line: number): string[] {
  const byLine = new Map(file.getComments().map((comment) => [lineOf(comment), comment.getContent().trim()]));
  const found: string[] = [];
  for (let above = line - 1; byLine.has(above); above -= 1) found.push(byLine.get(above) ?? '');
  return found;
}

const nonRoot: Check = (file) => {
  const froms = file.getFROMs();
  const final = froms.at(-1);
  if (!final) return [];
  const users = file.getInstructions().filter((instruction) => instruction.getKeyword() === 'USER' && lineOf(instruction) > lineOf(final));
  const user = users.at(-1);
  const name = user?.getArguments()[0]?.getValue().split(':')[0];
  if (user && name !== 'root' && name !== '0') return [];
  const line = user ? lineOf(user) : lineOf(final);
  const exception = commentsAbove(file, line).find((comment) => /^lint:\s*root\b/.test(comment));
  if (exception && /^lint:\s*root because\s+\S.{9,}/.test(exception)) return [];
  const message = exception
    ? 'the root exception must say why: "# lint: root because <reason>" directly above'
    : `the final stage runs as root: end it with USER <non-root user>, or put "# lint: root because <reason>" directly above this line`;
  return [{ rule: 'non-root', line, message }];
};

const secretName = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS/i;

const secretVariable: Check = (file) =>
  file.getInstructions().flatMap((instruction) => {
    const properties: (Property | null)[] = instruction instanceof Env ? instruction.getProperties() : instruction instanceof Arg ? [instruction.getProperty()] : [];
    return properties
      .filter((property): property is Property => property !== null && secretName.test(property.getName()) && (property.getValue() ?? '') !== '')
      .map((property) => ({
        rule: 'secret-variable' as const,
        line: lineOf(property),
        message: `${instruction.getKeyword()} ${property.getName()} puts a secret-looking value into the image: pass it at run time, or to one RUN with --mount=type=secret`,
      }));
  });

/** The sources of a COPY or ADD (every argument but the destination), in either form. */
function sourcesOf(instruction: Copy | Add): Argument[] {
  const json = instruction.getJSONStrings();
  const args: Argument[] = json.length > 0 ? json : instruction.getArguments();
  return args.slice(0, -1);
}

const credentialFile = [
  /\.(pem|key|p12|pfx|jks|keystore)$/i,
  /(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/,
  /(^|\/)\.env(\.(?!example$|sample$|template$)[^/]+)?$/,
  /credentials/i,
  /(key|secret|token|service[-_]?account)[^/]*\.json$/i,
  /(^|\/)\.(npmrc|netrc|pgpass|dockercfg)$/,
  /(^|\/)\.docker\/config\.json$/,
];

const unquote = (argument: Argument): string => ('getJSONValue' in argument ? (argument as { getJSONValue(): string }).getJSONValue() : argument.getValue());

const credentialCopy: Check = (file) =>
  file.getInstructions().flatMap((instruction) => {
    if (!(instruction instanceof Copy || instruction instanceof Add)) return [];
    return sourcesOf(instruction)
      .filter((source) => credentialFile.some((pattern) => pattern.test(unquote(source))))
      .map((source) => ({
        rule: 'credential-copy' as const,
        line: lineOf(source),
        message: `${instruction.getKeyword()} ${unquote(source)} looks like a credential: keep it out of the image (a secret mount for the build, the environment or a volume at run time)`,
      }));
  });

const remoteAdd: Check = (file) =>
  file.getInstructions().flatMap((instruction) => {
    if (!(instruction instanceof Add)) return [];
    return sourcesOf(instruction)
      .filter((source) => /^([a-z][a-z0-9+.-]*:\/\/|git@)/i.test(unquote(source)))
      .map((source) => ({
        rule: 'remote-add' as const,
        line: lineOf(source),
        message: `ADD ${unquote(source)} downloads at build time with nothing pinned: COPY --from a digest-pinned image, or download in a RUN that checks a sha256`,
      }));
  });

const commandEnd = /^(&&|\|\||\||;)$|;$/;

const aptInstall: Check = (file) =>
  file.getInstructions().flatMap((instruction) => {
    if (!(instruction instanceof Run)) return [];
    const words = instruction.getArguments();
    const problems: DockerfileProblem[] = [];
    let installs = 0;
    words.forEach((word, index) => {
      if (word.getValue() !== 'apt-get' && word.getValue() !== 'apt') return;
      const command: Argument[] = [];
      for (const next of words.slice(index + 1)) {
        command.push(next);
        if (commandEnd.test(next.getValue())) break;
      }
      const install = command.find((next) => next.getValue() === 'install' || next.getValue() === 'install;');
      if (!install) return;
      installs += 1;
      if (!command.some((next) => next.getValue().replace(/;$/, '') === '--no-install-recommends')) {
        problems.push({ rule: 'apt-install', line: lineOf(install), message: `${word.getValue()} install without --no-install-recommends: add it, so that only what is named is installed` });
      }
    });
    const text = instruction.getArgumentsContent() ?? '';
    const cached = instruction.getFlags().some((flag) => flag.getName() === 'mount' && /target=\/var\/lib\/apt/.test(flag.getValue() ?? ''));
    if (installs > 0 && !cached && !/\brm\s[^;&|]*\/var\/lib\/apt\/lists/.test(text)) {
      problems.push({ rule: 'apt-install', line: lineOf(instruction), message: 'apt lists stay in this layer: end the same RUN with && rm -rf /var/lib/apt/lists/*' });
    }
    return problems;
  });

const checks: readonly Check[] = [pinnedDigest, tagged, nonRoot, secretVariable, credentialCopy, remoteAdd, aptInstall];

export function lintDockerfile(text: string): DockerfileProblem[] {
  const file = DockerfileParser.parse(text);
  return checks.flatMap((check) => check(file)).sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

export interface DockerfileCopy {
  /** The stage's --from (a stage name or an image), or null for the build context. */
  from: string | null;
  sources: string[];
  destination: string;
  line: number;
  inFinalStage: boolean;
}

/** Every COPY and ADD, for checks against the repository (sources) and Pilot's renderer (destinations). */
export function dockerfileCopies(text: string): DockerfileCopy[] {
  const file = DockerfileParser.parse(text);
  const finalFrom = file.getFROMs().at(-1);
  return file.getInstructions().flatMap((instruction) => {
    if (!(instruction instanceof Copy || instruction instanceof Add)) return [];
    const json = instruction.getJSONStrings();
    const all = (json.length > 0 ? json : instruction.getArguments()).map(unquote);
    return [{
      from: instruction instanceof Copy ? instruction.getFromFlag()?.getValue() ?? null : null,
      sources: all.slice(0, -1),
      destination: all.at(-1) ?? '',
      line: lineOf(instruction),
      inFinalStage: finalFrom !== undefined && lineOf(instruction) > lineOf(finalFrom),
    }];
  });
}
