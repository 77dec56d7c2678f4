import type { ChangedFile, MergeForecast } from '../git/index.js';
import type { Integration } from '../worktrees/integrated.js';
import type { CommitGraph } from './graph.js';

/**
 * Answers one status hands the next (`status --watch`): each a function of commits, which never
 * change, keyed by them: the commit graph of the tips and the base, whether a branch is integrated
 * into the base, the files a branch changes, the merge forecasts. A frame in which no commit moved
 * then costs the git status of each worktree, the worktree list and the claims, not one process
 * per branch. What a frame did not ask for is dropped at the next (`nextFrame`): memory stays
 * bounded by one frame's worth however long the watch runs.
 */
class FrameCache<V> {
  private previous = new Map<string, V>();
  private current = new Map<string, V>();

  /** The value of `key`, made by `make` unless this or the previous frame made it. */
  get(key: string, make: () => V): V {
    let value = this.current.get(key);
    if (value === undefined) {
      value = this.previous.get(key) ?? make();
      this.current.set(key, value);
    }
    return value;
  }

  /** Whether this or the previous frame has `key`. */
  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  /** Forgets `key` (a failed answer is no answer to keep). */
  delete(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  nextFrame(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

export class StatusMemo {
  readonly graphs = new FrameCache<Promise<CommitGraph | null>>();
  readonly integrations = new FrameCache<Promise<Integration | null>>();
  /** By `<commit> <base>`: the files changed from base to commit. */
  readonly changes = new FrameCache<ChangedFile[]>();
  readonly forecasts = new FrameCache<Promise<MergeForecast>>();

  nextFrame(): void {
    this.graphs.nextFrame();
    this.integrations.nextFrame();
    this.changes.nextFrame();
    this.forecasts.nextFrame();
  }
}
