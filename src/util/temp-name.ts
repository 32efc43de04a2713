/** Temp files live beside their target (same filesystem, so rename is atomic) and start with this. */
export const TEMP_PREFIX = '.nevo-tmp-';

/**
 * A name no other writer will pick: the pid and the time separate processes, the counter and the
 * random part separate writes within one. No crypto import: the hook path cannot afford it.
 */
let counter = 0;
export function uniqueSuffix(): string {
  counter = (counter + 1) % 0x10000;
  return `${process.pid}-${counter.toString(16)}${Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0')}`;
}
