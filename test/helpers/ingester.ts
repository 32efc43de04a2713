// Runs ingest over and over until told to stop by a file appearing, racing the hook firers.
import { existsSync } from 'node:fs';
import { ingestTriggers } from '../../src/detect/ingest.js';
import { openWorkspace } from '../../src/workspace/workspace.js';

const [root, stopFile] = process.argv.slice(2);
const ws = openWorkspace(root!);
let files = 0;
while (!existsSync(stopFile!)) {
  files += (await ingestTriggers(ws, { batch: 100 })).files;
  await new Promise((r) => setTimeout(r, 20));
}
process.stdout.write(`${files}\n`);
