// The spec's limits on manifest input; over a limit is a validation error, never a crash.

export const limits = {
  /** Bytes per manifest file. */
  fileBytes: 1024 * 1024,
  /** Manifest files per repository. */
  files: 10_000,
  /** YAML alias expansions per document ("billion laughs" guard). */
  aliasExpansions: 100,
} as const;
