/** A mistake in how the CLI was called; exits with status 2 and the message, without a stack trace. */
export class UsageError extends Error {}

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}
