import { promises as fs } from 'node:fs';
import type { Adapter } from 'lowdb';
import { atomicWriteFile } from '../util/atomic-write.js';
import { documentText } from './document-text.js';

/**
 * lowdb's JSONFile writes through one fixed temp name per file (`.incidents.json.tmp`): two
 * writers, or a writer resumed after its lock was taken, rename each other's half-written temp.
 * This adapter writes through a temp name no other write picks, then renames it over.
 */
export class AtomicJSONFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  async write(data: T): Promise<void> {
    // Not flushed, as lowdb's own writer is not: a kill leaves the old or the new file, whole.
    await atomicWriteFile(this.file, documentText(data), false);
  }
}
