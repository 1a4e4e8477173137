/** What every command gets from the entry point, so commands can be run in-process by tests. */
export interface CommandContext {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour output allowed (TTY, no --no-color, no NO_COLOR). */
  color: boolean;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Show what is in flight on stderr (stderr is a TTY and no --quiet). */
  progress?: boolean;
  /** --verbose: each exchange on stderr as it happens. */
  verbose?: boolean;
}

/** DESIGN.md exit codes. */
export const exitCodes = { ok: 0, blocked: 1, usage: 2 } as const;

/** Bad input: printed as one line `error: <message>`; the message names the fix. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
