// One page of a Cloud Storage objects.list: the names under a prefix, folded into
// `prefixes` at a delimiter, as the service pages them. Terraform's gcs backend lists
// with delimiter=/ to find workspaces; a listing that ignored the delimiter would hand
// it the objects of deeper folders as if they were its own.

export interface ListQuery {
  prefix: string;
  delimiter: string;
  /** Names >= startOffset and < endOffset; empty means no bound (terraform sends both empty). */
  startOffset: string;
  endOffset: string;
  /** Also list an object whose name is itself one of the prefixes (ends with the delimiter). */
  includeTrailingDelimiter: boolean;
  pageToken: string;
  max: number;
}

export interface ListPage {
  items: string[];
  prefixes: string[];
  nextPageToken: string | undefined;
}

export function listQuery(query: URLSearchParams, pageSize: number): ListQuery {
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    startOffset: query.get('startOffset') ?? '',
    endOffset: query.get('endOffset') ?? '',
    includeTrailingDelimiter: query.get('includeTrailingDelimiter') === 'true',
    pageToken: query.get('pageToken') ?? '',
    max: Math.min(Number(query.get('maxResults') ?? 1000), pageSize),
  };
}

/** The page of `names` (object names, any order) that `query` asks for. */
export function listPage(names: Iterable<string>, query: ListQuery): ListPage {
  const entries = new Map<string, 'item' | 'prefix' | 'both'>();
  for (const name of names) {
    if (!name.startsWith(query.prefix)) continue;
    if (query.startOffset && name < query.startOffset) continue;
    if (query.endOffset && name >= query.endOffset) continue;
    const cut = query.delimiter ? name.indexOf(query.delimiter, query.prefix.length) : -1;
    if (cut === -1) {
      entries.set(name, 'item');
      continue;
    }
    // A name past the delimiter never collides with an item: items have no delimiter after the prefix.
    const folder = name.slice(0, cut + query.delimiter.length);
    const listedToo = (folder === name && query.includeTrailingDelimiter) || entries.get(folder) === 'both';
    entries.set(folder, listedToo ? 'both' : 'prefix');
  }
  // The page token is the last entry of the page: entries are paged in name order, items and prefixes alike.
  const ordered = [...entries.keys()].filter((key) => key > query.pageToken).sort();
  const page = ordered.slice(0, query.max);
  const kind = (key: string) => entries.get(key);
  return {
    items: page.filter((key) => kind(key) !== 'prefix'),
    prefixes: page.filter((key) => kind(key) === 'prefix' || kind(key) === 'both'),
    nextPageToken: ordered.length > page.length ? page.at(-1) : undefined,
  };
}
