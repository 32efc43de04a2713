/**
 * Git's tree and commit objects read from their bytes (the content after the "type size\0"
 * header): what the store needs of them, without isomorphic-git's JavaScript inflate and checksum.
 */
export interface TreeItem {
  path: string;
  /** As git writes it: 100644, 100755, 120000, 40000 (a folder) or 160000. */
  mode: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

/** A tree object's entries (its content, after the header); null when they do not parse. */
export function parseTree(content: Buffer): TreeItem[] | null {
  const items: TreeItem[] = [];
  for (let at = 0; at < content.length; ) {
    const space = content.indexOf(0x20, at);
    const end = content.indexOf(0, space + 1);
    if (space < 0 || end < 0 || end + 21 > content.length) return null;
    const mode = content.toString('latin1', at, space);
    const type = mode === '40000' || mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    items.push({ path: content.toString('utf8', space + 1, end), mode: type === 'tree' ? '040000' : mode, oid: content.toString('hex', end + 1, end + 21), type });
    at = end + 21;
  }
  return items;
}

export interface ParsedCommit {
  tree: string;
  parents: string[];
  author: { name: string; email: string; timestamp: number };
  message: string;
}

/** A commit object's fields (its content, after the header); null when it does not parse. */
export function parseCommit(content: Buffer): ParsedCommit | null {
  const text = content.toString('utf8');
  const blank = text.indexOf('\n\n');
  const headers = (blank < 0 ? text : text.slice(0, blank)).split('\n');
  const tree = /^tree ([0-9a-f]{40})$/.exec(headers[0] ?? '')?.[1];
  const parents = headers.flatMap((h) => /^parent ([0-9a-f]{40})$/.exec(h)?.[1] ?? []);
  const author = headers.map((h) => /^author (.*) <(.*)> (\d+) [+-]\d{4}$/.exec(h)).find(Boolean);
  if (!tree || !author) return null;
  // The message as isomorphic-git gives it: no carriage returns, no blank lines before it, one newline after.
  const message = `${(blank < 0 ? '' : text.slice(blank + 2)).replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`;
  return { tree, parents, author: { name: author[1]!, email: author[2]!, timestamp: Number(author[3]) }, message };
}
