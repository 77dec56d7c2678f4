import type { Output } from '../ui/output.js';

/**
 * What a command computes before anything is printed: the exit code, the data `--json` prints,
 * and how to render it for people. emit() decides between the two in one place.
 */
export interface CommandResult<Data> {
  exitCode: number;
  data: Data;
  render(out: Output): void | Promise<void>;
}

export async function emit<Data>(result: CommandResult<Data>, out: Output): Promise<number> {
  if (out.json) out.data(result.data);
  else await result.render(out);
  return result.exitCode;
}
