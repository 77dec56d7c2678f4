export * from './run.js';
export * from './repo.js';
export * from './worktree.js';
export * from './status.js';
export * from './refs.js';
