/**
 * A mistake's key, `category:subject` (`command not found:tree`): what links an incident to the
 * rule that answers it. Shown to a person, it is written out in words.
 */

/** What a key is about: the part after the category. */
export function keySubject(key: string): string {
  return key.split(':').slice(1).join(':');
}

/** A key as a person reads it: `command not found: tree`, or the category alone when it names no subject. */
export function keyInWords(key: string): string {
  const at = key.indexOf(':');
  if (at < 0) return key;
  const subject = key.slice(at + 1).trim();
  return subject ? `${key.slice(0, at)}: ${subject}` : key.slice(0, at);
}
