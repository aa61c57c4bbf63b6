// Every failure the kit reports has a name and an exit code, so the CLI can
// print one line and scripts can tell bad input from a broken emulator.

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_BAD_INPUT = 2

// The reader asked for something the kit cannot do: fix the input and rerun.
export class BadInputError extends Error {
  readonly exitCode = EXIT_BAD_INPUT
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BadInputError'
  }
}

// The emulator did not answer in time, or answered with something unusable.
export class EmulatorUnreachableError extends Error {
  readonly exitCode = EXIT_FAILED
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'EmulatorUnreachableError'
  }
}

// One resource could not be brought to the state its part asks for.
export class ConvergeError extends Error {
  readonly exitCode = EXIT_FAILED
  constructor(
    readonly resource: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${resource}: ${message}`, options)
    this.name = 'ConvergeError'
  }
}

export function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown })?.exitCode
  return typeof code === 'number' ? code : EXIT_FAILED
}

// AWS SDK errors carry their API error name in `name`; compare on that alone.
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return names.includes((error as { name?: string })?.name ?? '')
}
