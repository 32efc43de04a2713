import { EventEmitter } from 'node:events';

/**
 * A raw-mode stdin as ink-testing-library fakes it: write() hands Ink one chunk (`readable`, then
 * `read()`). Shared by the TUI tests and the TUI bench.
 */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
