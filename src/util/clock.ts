/** The time a command runs at: injected (src/cli/command.ts Io.now), so tests set it, never wait. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
