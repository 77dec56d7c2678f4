/**
 * What the demo repository holds: a small Go module modelled on the kcp TMC work of the example
 * orchestration plan, the plan itself, and each agent's branch. Pure data, so the demo's shape
 * (which branch is oversized, which two conflict, which stream waits) is readable in one place.
 */

export const BRANCH_PREFIX = 'feature/tmc2-impl2/';

/** The team's plan as they wrote it, trimmed to what `plan import` reads and a little prose. */
export const PLAN_MARKDOWN = `# TMC Reimplementation: Multi-Agent Orchestration Plan

## **Multi-Agent Coordination Strategy**

### **Agent Assignment Matrix**

| Agent Role | Primary Worktree | Focus Area | Priority |
|------------|------------------|------------|----------|
| **Agent 1** | \`03a-foundation\` | Controller Pattern Fixes | Critical |
| **Agent 2** | \`03b-binary-manager\` | Workspace Isolation | Critical |
| **Agent 3** | \`02-apiexport-split\` | Split APIExport PR | High |
| **Agent 4** | \`01-virtual-workspace\` | Virtual Workspace Implementation | High |
| **Agent 5** | \`01-security-foundation\` | Security Migration to Phase 1 | High |
| **Agent 6** | \`02-feature-flags\` | Feature Flag Implementation | Medium |
| **Agent 7** | \`testing-integration\` | Comprehensive Testing | Medium |
| **Agent 8** | \`main\` | Integration Coordination | Ongoing |

### **Parallel Work Streams**

#### **Stream 1: Critical Architectural Fixes** (Week 1)
**Can be done in parallel - no dependencies**

- **Agent 1**: Refactor 03a-foundation controller patterns
- **Agent 2**: Fix workspace isolation in 03b-binary-manager
- **Agent 6**: Implement feature flags for TMC functionality

#### **Stream 2: Foundation Corrections** (Week 2)
**Sequential dependencies with Stream 1**

- **Agent 3**: Split 02 APIExport oversized PR
- **Agent 4**: Add virtual workspace support to Phase 1
- **Agent 5**: Move security components to Phase 1

#### **Stream 3: Integration & Validation** (Week 3)
**Depends on Streams 1 & 2 completion**

- **Agent 7**: Comprehensive testing framework
- **Agent 8**: Integration coordination

### **Quality Gates**

- ✅ **PR Size**: <700 lines per PR (generated files excluded)
- ✅ **Whitespace**: no whitespace errors in the changes
`;

/** The gates the demo adds by hand, as a team would after importing the plan. */
export const DEMO_GATES = [
  {
    name: 'whitespace',
    run: ['git', 'diff', '--check', 'origin/main...HEAD'],
    prePush: true,
  },
];

export type Files = Record<string, string>;

const GO_MOD = `module github.com/kcp-dev/tmc

go 1.22

require (
\tk8s.io/apimachinery v0.30.0
\tk8s.io/client-go v0.30.0
)
`;

/** A go.sum's worth of lines: generated, never counted. */
function goSum(modules: readonly string[]): string {
  return modules
    .flatMap((m, i) => {
      const hash = Buffer.from(`${m}${i}`).toString('base64').padEnd(43, 'A').slice(0, 43);
      return [`${m} h1:${hash}=`, `${m}/go.mod h1:${hash.split('').reverse().join('')}=`];
    })
    .join('\n')
    .concat('\n');
}

const MODULES = [
  'github.com/davecgh/go-spew v1.1.1',
  'github.com/go-logr/logr v1.4.1',
  'github.com/gogo/protobuf v1.3.2',
  'github.com/google/gofuzz v1.2.0',
  'k8s.io/apimachinery v0.30.0',
  'k8s.io/client-go v0.30.0',
  'k8s.io/klog/v2 v2.120.1',
  'sigs.k8s.io/structured-merge-diff/v4 v4.4.1',
];

function reconciler(queue: string, isolation: string): string {
  return `package controller

import (
\t"context"
\t"fmt"

\t"github.com/kcp-dev/tmc/pkg/workspace"
)

// Reconciler brings a SyncTarget to its desired state.
type Reconciler struct {
\tqueue ${queue}
\tworkspaces *workspace.Index
}

// Reconcile handles one key from the queue.
func (r *Reconciler) Reconcile(ctx context.Context, key string) error {
\tcluster, name, err := workspace.SplitKey(key)
\tif err != nil {
\t\treturn fmt.Errorf("invalid key %q: %w", key, err)
\t}
${isolation}
\treturn r.workspaces.Touch(ctx, cluster, name)
}
`;
}

const RECONCILER = reconciler(
  'chan string',
  `\t// TODO: check the workspace boundary before touching it.`,
);

function isolationGo(checks: number): string {
  const lines = [
    'package workspace',
    '',
    'import (',
    '\t"context"',
    '\t"errors"',
    '\t"strings"',
    ')',
    '',
    '// ErrCrossTenant is returned when a key leaves its logical cluster.',
    'var ErrCrossTenant = errors.New("cross-tenant access")',
    '',
    '// Index knows which objects live in which logical cluster.',
    'type Index struct{ clusters map[string]map[string]bool }',
    '',
    '// SplitKey splits "cluster|name" into its parts.',
    'func SplitKey(key string) (string, string, error) {',
    '\tparts := strings.SplitN(key, "|", 2)',
    '\tif len(parts) != 2 {',
    '\t\treturn "", "", errors.New("want cluster|name")',
    '\t}',
    '\treturn parts[0], parts[1], nil',
    '}',
    '',
    '// Touch records that an object was reconciled.',
    'func (i *Index) Touch(ctx context.Context, cluster, name string) error {',
  ];
  for (let n = 0; n < checks; n++) {
    lines.push(`\tif strings.HasPrefix(name, "system:${n}") {`, '\t\treturn ErrCrossTenant', '\t}');
  }
  lines.push('\ti.clusters[cluster][name] = true', '\treturn nil', '}', '');
  return lines.join('\n');
}

function featuresGo(flags: readonly string[]): string {
  return [
    'package features',
    '',
    '// Feature gates of TMC, all off by default.',
    'const (',
    ...flags.map((f) => `\t${f} = "${f}"`),
    ')',
    '',
    '// Defaults are the gates a fresh installation starts with.',
    'var Defaults = map[string]bool{',
    ...flags.map((f) => `\t${f}: false,`),
    '}',
    '',
  ].join('\n');
}

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

/** One field of an API type, with its doc comment: four lines. */
function field(name: string, type: string, json: string): string[] {
  return [
    `\t// ${name} is the ${json} of the export, as the workspace sees it.`,
    `\t// +optional`,
    `\t${name} ${type} \`json:"${json},omitempty"\``,
    '',
  ];
}

function apiTypes(kind: string, fields: number): string {
  const lines = [
    'package v1alpha1',
    '',
    'import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"',
    '',
    `// ${kind} exports TMC's APIs into a workspace.`,
    '// +crd',
    '// +genclient',
    `type ${kind} struct {`,
    '\tmetav1.TypeMeta   `json:",inline"`',
    '\tmetav1.ObjectMeta `json:"metadata,omitempty"`',
    '',
    `\tSpec ${kind}Spec \`json:"spec,omitempty"\``,
    '}',
    '',
    `// ${kind}Spec is what the export promises.`,
    `type ${kind}Spec struct {`,
  ];
  for (let i = 0; i < fields; i++) lines.push(...field(`Field${i}`, 'string', `field${i}`));
  lines.push('}', '');
  return lines.join('\n');
}

function deepcopy(kinds: readonly string[], fields: number): string {
  const lines = [
    '//go:build !ignore_autogenerated',
    '',
    '// Code generated by controller-gen. DO NOT EDIT.',
    '',
    'package v1alpha1',
    '',
  ];
  for (const kind of kinds) {
    lines.push(
      `// DeepCopyInto copies the receiver into out.`,
      `func (in *${kind}Spec) DeepCopyInto(out *${kind}Spec) {`,
      '\t*out = *in',
    );
    for (let i = 0; i < fields; i++) lines.push(`\tout.Field${i} = in.Field${i}`);
    lines.push('}', '');
  }
  return lines.join('\n');
}

function controllerGo(kind: string, handlers: number): string {
  const lines = [
    'package apiexport',
    '',
    'import (',
    '\t"context"',
    '\t"fmt"',
    ')',
    '',
    `// ${kind}Controller keeps ${kind}s and their workspaces in step.`,
    `type ${kind}Controller struct{ seen map[string]int }`,
    '',
  ];
  for (let i = 0; i < handlers; i++) {
    lines.push(
      `// handle${i} reconciles step ${i} of an export.`,
      `func (c *${kind}Controller) handle${i}(ctx context.Context, key string) error {`,
      '\tif err := ctx.Err(); err != nil {',
      `\t\treturn fmt.Errorf("step ${i} of %s: %w", key, err)`,
      '\t}',
      `\tc.seen[key] = ${i}`,
      '\treturn nil',
      '}',
      '',
    );
  }
  return lines.join('\n');
}

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
