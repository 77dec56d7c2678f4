/**
 * The data of `tmc-orch split`: what the planner reads (the changed files as `lines` counts them,
 * plus the Go import graph) and the plan it returns (the JSON of `split --json`).
 */
import type { GoModule } from './go-imports.js';

export const DEFAULT_LIMIT = 700;
export const DEFAULT_TARGET = 600;

/** One changed file, as `tmc-orch lines` reports it (a LineFile fits). */
export interface SplitFile {
  path: string;
  /** The path before a rename or copy, else null: its deletion travels with `path`. */
  oldPath: string | null;
  /** Counted lines (0 for generated files, which cost nothing). */
  lines: number;
  generated: boolean;
  /**
   * A file of the counting rules (`.gitattributes`, `.generated_files`, the config): always
   * counted, and placed in the last part, because each part is counted by the rules of the part
   * below it, and the plan by those of the merge base.
   */
  rule?: boolean;
}

export interface SplitInput {
  files: readonly SplitFile[];
  /** A part passes when its counted lines are below the limit. */
  limit?: number;
  /** Parts are packed up to this many counted lines. */
  target?: number;
  /** The Go modules of the repository (folder of each go.mod and its module path). */
  goModules?: readonly GoModule[];
  /** The import paths of each changed Go file at the head, by file path (`parseGoImports`). */
  goImports?: ReadonlyMap<string, readonly string[]>;
}

interface PartFile {
  path: string;
  oldPath: string | null;
  lines: number;
  generated: boolean;
}

export interface SplitPart {
  /** 1-based position in the stack. */
  index: number;
  /** The dominant package or folder, with "(k of n)" when it was cut across parts. */
  name: string;
  lines: number;
  files: PartFile[];
  /** Indexes of earlier parts holding packages this part imports (or earlier files of its own). */
  dependsOn: number[];
  /** Why these files travel together, for people. */
  reason: string;
}

/** A file (or files that must land together) at or over the limit by itself. */
export interface OversizedFile {
  path: string;
  lines: number;
  reason: string;
}

/** An import cycle among changed packages, and the imports the order could not honour. */
export interface ImportCycle {
  /** The folders of the packages in the cycle, in the order they were placed. */
  packages: string[];
  /** `from` imports `to`, but `to` is placed after `from`. */
  deferred: { from: string; to: string; test: boolean }[];
}

export interface SplitPlan {
  limit: number;
  target: number;
  /** Counted lines of all files. */
  total: number;
  parts: SplitPart[];
  /** Non-empty: the plan cannot get every part under the limit (the command exits 1). */
  oversized: OversizedFile[];
  cycles: ImportCycle[];
}
