// Pages of a list as GitHub serves them: per_page (default 30, at most 100) and page
// (from 1), with a Link header naming the next, last, first and prev pages.
// https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api

export interface Page<T> {
  items: T[];
  /** The Link header, when there is more than one page. */
  link?: string;
}

export function pageOf<T>(all: readonly T[], params: Record<string, unknown>, requestUrl: URL): Page<T> {
  const perPage = Math.min(100, Math.max(1, Number(params.per_page ?? 30)));
  const page = Math.max(1, Number(params.page ?? 1));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  if (last === 1) return { items };
  const at = (n: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return url.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${at(page - 1)}>; rel="prev"`);
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return { items, link: links.join(', ') };
}
