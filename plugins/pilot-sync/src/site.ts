/** One file of the built site, keyed by its object key (its path in the site, "/"-separated). */
export interface SiteFile {
  key: string;
  path: string;
  size: number;
  md5: Buffer;
}

/** One object already in the bucket; md5 is lower-case hex, or undefined when the store gave none. */
export interface RemoteObject {
  key: string;
  md5: string | undefined;
}

/** The site, read and ready; `cleanup` removes whatever was extracted to read it. */
export interface Site {
  files: SiteFile[];
  skipped: string[];
  cleanup(): Promise<void>;
}
