/**
 * A store document's text: its fields as JSON, each record of `records` on a line of its own.
 * A record a line keeps `git diff` and `git log -p` one line per record changed, while indenting
 * every field made the files 30% larger and each committed version 7% larger after compression,
 * which over a heavy year was 10 MiB of `.git` (bench/year.bench.ts).
 */
export function documentText(data: unknown): string {
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { records?: unknown }).records)) return JSON.stringify(data, null, 2);
  const { records, ...fields } = data as { records: unknown[] };
  // As JSON.stringify would: a field it leaves out (undefined, a function) is left out, a hole or an
  // undefined record is null.
  const head = Object.entries(fields).flatMap(([k, v]) => {
    const value = JSON.stringify(v);
    return value === undefined ? [] : [`  ${JSON.stringify(k)}: ${value},\n`];
  }).join('');
  const lines = Array.from(records, (r) => `    ${JSON.stringify(r) ?? 'null'}`).join(',\n');
  return `{\n${head}  "records": [${lines ? `\n${lines}\n  ` : ''}]\n}`;
}
