/** A claim's task: one short plain line other agents read (no zod here: --task is parsed at start-up). */

const MAX_TASK_LENGTH = 200;

/** Why a task text cannot be shown to other agents, or null. */
export function taskProblem(task: string): string | null {
  // C0, DEL, C1 and the Unicode line separators: a task is one plain line.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(task)) {
    return 'must be one line without control characters';
  }
  if (task.length > MAX_TASK_LENGTH) return `must be at most ${MAX_TASK_LENGTH} characters long`;
  return null;
}
