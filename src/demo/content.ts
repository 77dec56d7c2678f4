import {
  apiTypes,
  controllerGo,
  deepcopy,
  featuresGo,
  GO_MOD,
  goSum,
  isolationGo,
  MODULES,
  reconciler,
} from './go-files.js';
import { PLAN_MARKDOWN } from './plan-text.js';

/**
 * What the demo repository holds: a small Go module modelled on the kcp TMC work of the example
 * orchestration plan (its sources are built in go-files.ts), the plan itself (plan-text.ts), and
 * each agent's branch. Pure data, so the demo's shape (which branch is oversized, which two
 * conflict, which stream waits) is readable in one place.
 */

export const BRANCH_PREFIX = 'feature/tmc2-impl2/';

export type Files = Record<string, string>;

const RECONCILER = reconciler(
  'chan string',
  `\t// TODO: check the workspace boundary before touching it.`,
);

/** The main branch's first commit: the module as the team found it. */
export const BASE_FILES: Files = {
  'go.mod': GO_MOD,
  'go.sum': goSum(MODULES.slice(0, 5)),
  'README.md': '# TMC\n\nTransparent Multi-Cluster for kcp.\n',
  'docs/orchestration-plan.md': PLAN_MARKDOWN,
  'cmd/tmc-controller/main.go': `package main

import (
\t"context"

\t"github.com/kcp-dev/tmc/pkg/controller"
)

func main() {
\tvar r controller.Reconciler
\t_ = r.Reconcile(context.Background(), "root|example")
}
`,
  'pkg/controller/reconciler.go': RECONCILER,
  'pkg/workspace/isolation.go': isolationGo(1),
  'pkg/features/features.go': featuresGo(['TMC']),
};

export interface DemoBranch {
  /** The worktree (and branch) name. */
  name: string;
  commits: { message: string; files: Files; hoursAgo: number }[];
}

const KINDS = ['APIExport', 'APIBinding'];

/**
 * Every agent's branch with its commits. 03a and 03b change the same lines of the reconciler
 * (they conflict); 02-apiexport-split carries the oversized APIExport work, generated deepcopy
 * code beside it; 02-feature-flags was squash-merged into main already.
 */
export const BRANCHES: DemoBranch[] = [
  {
    name: '03a-foundation',
    commits: [
      {
        message: 'controller: use the typed workqueue',
        hoursAgo: 5,
        files: {
          'pkg/controller/reconciler.go': reconciler(
            'workqueue.TypedRateLimitingInterface[string]',
            `\t// The committer pattern: patch only what changed.\n\tdefer r.commit(ctx, key)`,
          ),
        },
      },
      {
        message: 'controller: committer pattern for status updates',
        hoursAgo: 3,
        files: {
          'pkg/controller/committer.go':
            'package controller\n\nimport "context"\n\n// commit patches the status of key if it changed.\nfunc (r *Reconciler) commit(ctx context.Context, key string) {}\n',
        },
      },
    ],
  },
  {
    name: '03b-binary-manager',
    commits: [
      {
        message: 'workspace: refuse keys that leave their logical cluster',
        hoursAgo: 4,
        files: {
          'pkg/workspace/isolation.go': isolationGo(4),
          // The same lines 03a-foundation changes, changed another way: the two conflict.
          'pkg/controller/reconciler.go': reconciler(
            'chan string',
            `\tif err := r.workspaces.CheckBoundary(cluster, name); err != nil {\n\t\treturn err \n\t}`,
          ),
        },
      },
    ],
  },
  {
    name: '02-feature-flags',
    commits: [
      {
        message: 'features: master TMC gate',
        hoursAgo: 30,
        files: { 'pkg/features/features.go': featuresGo(['TMC', 'TMCPlacement']) },
      },
      {
        message: 'features: sub-gates for syncing and status',
        hoursAgo: 28,
        files: {
          'pkg/features/features.go': featuresGo(['TMC', 'TMCPlacement', 'TMCSync', 'TMCStatus']),
        },
      },
    ],
  },
  {
    name: '02-apiexport-split',
    commits: [
      {
        message: 'apis: APIExport and APIBinding types',
        hoursAgo: 6,
        files: {
          'apis/tmc/v1alpha1/apiexport_types.go': apiTypes('APIExport', 60),
          'apis/tmc/v1alpha1/apibinding_types.go': apiTypes('APIBinding', 40),
          'apis/tmc/v1alpha1/zz_generated.deepcopy.go': deepcopy(KINDS, 300),
          'go.sum': goSum(MODULES),
        },
      },
      {
        message: 'apiexport: controller and its handlers',
        hoursAgo: 2,
        files: {
          'pkg/apiexport/controller.go': controllerGo('APIExport', 30),
          'pkg/apiexport/binding.go': controllerGo('APIBinding', 12),
        },
      },
    ],
  },
  {
    name: '01-security-foundation',
    commits: [
      {
        message: 'rbac: the roles TMC controllers run with',
        hoursAgo: 1,
        files: {
          'pkg/rbac/roles.go':
            'package rbac\n\n// ControllerRoles are the cluster roles TMC controllers are bound to.\nvar ControllerRoles = []string{\n\t"tmc:syncer",\n\t"tmc:placement",\n}\n',
        },
      },
    ],
  },
];

/** The branch whose work main already has, squashed into one commit. */
export const SQUASHED = '02-feature-flags';

/** Planned worktrees created from main without commits of their own yet. */
export const FRESH = ['01-virtual-workspace', 'testing-integration'];

/** Who claimed what (agent-3's stream waits for stream 1: a claim against the plan). */
export const CLAIMS = [
  { agent: 'agent-1', worktree: '03a-foundation', task: 'typed workqueues, committer pattern' },
  { agent: 'agent-2', worktree: '03b-binary-manager', task: 'workspace boundary checks' },
  { agent: 'agent-3', worktree: '02-apiexport-split', task: 'split APIExport into 4 PRs' },
];

/** Status-log entries, oldest first. */
export const LOG_ENTRIES = [
  {
    agent: 'agent-6',
    worktree: '02-feature-flags',
    minutesAgo: 200,
    message: 'feature flags merged (squash), stream 1 part done',
  },
  {
    agent: 'agent-1',
    worktree: '03a-foundation',
    minutesAgo: 170,
    message: 'Working on typed workqueues in 03a-foundation',
  },
  {
    agent: 'agent-2',
    worktree: '03b-binary-manager',
    minutesAgo: 150,
    message: 'Boundary checks in place; reconciler touched too, heads-up agent-1',
  },
  {
    agent: 'agent-3',
    worktree: '02-apiexport-split',
    minutesAgo: 90,
    message: 'APIExport PR is ~1000 lines: splitting it into 02a-02d',
  },
  {
    agent: 'agent-8',
    worktree: null,
    minutesAgo: 30,
    message: 'Integration: waiting for stream 1 before merging stream 2',
  },
];
