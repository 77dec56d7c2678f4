/**
 * The orchestration plan the demo repository starts from: the team's markdown, as `plan import`
 * reads it, and the gates a team adds by hand afterwards.
 */

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
