// The spec's limits on manifest input; over a limit is a validation error, never a crash.

export const limits = {
  /** Bytes per manifest file. */
  fileBytes: 1024 * 1024,
  /** Manifest files per repository. */
  files: 10_000,
  /** YAML alias expansions per document ("billion laughs" guard). */
  aliasExpansions: 100,
  /** Levels of nesting per document (the document's own mapping is the first); a Project needs about six. */
  nesting: 64,
} as const;

/** What to say about a file over `limits.fileBytes`. */
export function fileTooLarge(bytes: number): string {
  return `the file is ${bytes} bytes, over the limit of ${limits.fileBytes} (1 MiB): split it into several files`;
}
