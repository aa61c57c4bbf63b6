// What the kit prints. One short line per resource, timings on each, colour
// only on a terminal, and a last line of defence that masks any secret value
// the kit has handled, whatever printed it.

const secrets = new Set<string>()

// Called wherever the kit reads or writes a secret value: from then on that
// value (and the api_key inside it) is masked in everything the kit prints.
export function treatAsSecret(value: string | undefined): void {
  if (!value) return
  secrets.add(value)
  try {
    const apiKey = JSON.parse(value)?.api_key
    if (typeof apiKey === 'string' && apiKey.length >= 4) secrets.add(apiKey)
  } catch {
    // Not JSON: the whole value is masked, which is all there is.
  }
}

export function redact(text: string): string {
  let out = text
  for (const secret of secrets) out = out.split(secret).join('***')
  return out
}

const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
const paint = (code: number) => (text: string) =>
  useColour ? `\u001b[${code}m${text}\u001b[0m` : text
export const green = paint(32)
export const yellow = paint(33)
export const red = paint(31)
export const dim = paint(2)

// With --json, stdout carries the JSON alone; the lines a person reads move to
// stderr so that a script can parse the output as it is.
let lines: NodeJS.WriteStream = process.stdout
export function linesToStderr(): void {
  lines = process.stderr
}

export function say(line: string): void {
  clearProgress()
  lines.write(`${redact(line)}\n`)
}

export function printJson(value: unknown): void {
  process.stdout.write(`${redact(JSON.stringify(value, null, 2))}\n`)
}

export function warn(line: string): void {
  clearProgress()
  process.stderr.write(`${redact(line)}\n`)
}

export function ms(since: number): string {
  return `${Math.round(performance.now() - since)} ms`
}

// One line per resource, e.g. "  key       created  alias/x -> 1234  (12 ms)".
export function outcomeLine(
  resource: string,
  outcome: string,
  detail: string,
  took: string,
): string {
  const mark = outcome === 'exists' ? dim(outcome.padEnd(9)) : green(outcome.padEnd(9))
  return `  ${resource.padEnd(14)} ${mark} ${detail}  ${dim(`(${took})`)}`
}

// A live line on stderr while the kit waits, so a slow emulator never looks
// like a hung one. Off a terminal it prints nothing: logs stay one line each.
let progressShown = false
export function progress(text: string): void {
  if (!process.stderr.isTTY) return
  process.stderr.write(`\r\u001b[2K${dim(text)}`)
  progressShown = true
}

export function clearProgress(): void {
  if (!progressShown) return
  process.stderr.write('\r\u001b[2K')
  progressShown = false
}
