import { AsyncLocalStorage } from 'node:async_hooks';

/** Where a command's output goes: the process's own streams, or a caller's (a served request, src/serve/). */
export interface OutputSink {
  out(text: string): void;
  err(text: string): void;
}

const PROCESS: OutputSink = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };
const sinks = new AsyncLocalStorage<OutputSink>();

/** The sink of the command running now. */
export function output(): OutputSink {
  return sinks.getStore() ?? PROCESS;
}

/** Runs `fn` with every write of `emit`, of the program's errors and of commander's help going to `sink`. */
export function withOutput<T>(sink: OutputSink, fn: () => Promise<T>): Promise<T> {
  return sinks.run(sink, fn);
}

/** Prints a command's result: JSON for scripts with `--json`, text for people otherwise. */
export function emit(json: boolean | undefined, data: unknown, text: () => string): void {
  if (json) output().out(`${JSON.stringify(data, null, 2)}\n`);
  else {
    const out = text();
    if (out) output().out(out.endsWith('\n') ? out : `${out}\n`);
  }
}
