/** `tmc-orch split`'s planning core: pure functions of data, wired by the command. */
export {
  goImportFolder,
  goSourcePaths,
  parseGoImports,
  parseGoModulePath,
  type GoImport,
  type GoModule,
} from './go-imports.js';
export { planSplit, splitOptionsProblem } from './plan.js';
export { printable, renderSplitPlan } from './render.js';
export { partTrees, type PartTree } from './trees.js';
export {
  DEFAULT_LIMIT,
  DEFAULT_TARGET,
  type ImportCycle,
  type OversizedFile,
  type PartFile,
  type SplitFile,
  type SplitInput,
  type SplitPart,
  type SplitPlan,
} from './types.js';
