// Types of scripts/deps.mjs, for test/architecture.test.ts.
export interface Layer {
  name: string;
  paths: string[];
}
export interface Circle {
  members: string[];
  circle: string[];
}
export interface Against {
  from: string;
  to: string;
  fromLayer: string;
  toLayer: string;
}
export interface LayerReport {
  files: number;
  imports: number;
  unresolved: { from: string; spec: string }[];
  unplaced: string[];
  against: Against[];
  fileCircles: Circle[];
  folderCircles: Circle[];
  /** Set by `npm run deps`: documents reached around their repositories outside src/store/. */
  leaks?: RecordLeak[];
}
/** A file outside src/store/ that reads a document's records, or asks for or marks a whole document. */
export interface RecordLeak {
  file: string;
  line: number;
  what: string;
}
export declare const LAYERS: Layer[];
export declare function importGraph(srcDir: string): { graph: Map<string, Set<string>>; unresolved: { from: string; spec: string }[] };
export declare function layerOf(file: string): { rank: number; name: string } | null;
export declare function circles(graph: Map<string, Set<string>>): Circle[];
export declare function checkLayers(srcDir: string): LayerReport;
export declare function documentNames(srcDir: string): string[];
export declare function recordLeaks(srcDir: string): RecordLeak[];
export declare function describe(report: LayerReport): string;
export declare function clean(report: LayerReport): boolean;
