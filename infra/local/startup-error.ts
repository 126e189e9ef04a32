/** A problem that stops the local stack from starting, with what to do about it. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
