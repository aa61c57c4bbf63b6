// kit: brings parts of the series up on a local emulator, checks them, and
// walks a reader through Part 7's rotation and KMS examples. This file only
// reads the command line; each subcommand lives in scripts/commands/.

import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { BadInputError, EXIT_BAD_INPUT, EXIT_OK, exitCodeOf } from './lib/errors.js'
import { linesToStderr, say, warn } from './lib/log.js'
import { type Command, commonOptions } from './commands/command.js'
import { kmsCommands } from './commands/kms.js'
import { partCommands } from './commands/parts.js'
import { rotationCommands } from './commands/rotation.js'

const commands: Record<string, Command> = { ...partCommands, ...rotationCommands, ...kmsCommands }
const aliases: Record<string, string> = { up: 'apply' }

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length))
  return [
    'kit: bring the Run AWS on Your Laptop series up on a local emulator',
    '',
    'usage: kit <command> [options]',
    '',
    ...Object.entries(commands).map(
      ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
    ),
    '',
    'The emulator is AWS_ENDPOINT_URL (default http://localhost:4566); the kit waits',
    'up to KIT_WAIT_SECONDS (60) for it. Exit codes: 0 ok, 1 failed, 2 bad input.',
    'kit <command> --help tells more.',
  ].join('\n')
}

function commandHelp(command: Command): string {
  const all = { ...command.options, ...commonOptions }
  const width = Math.max(...Object.keys(all).map((option) => option.length)) + 2
  return [
    `${command.usage}`,
    '',
    `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`,
    '',
    ...Object.entries(all).map(([option, spec]) => `  --${option.padEnd(width)}${spec.help}`),
    '',
    'Exit codes: 0 ok, 1 failed, 2 bad input.',
  ].join('\n')
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    say(usage())
    return name ? EXIT_OK : EXIT_BAD_INPUT
  }
  const command = commands[aliases[name] ?? name]
  if (!command) {
    warn(`kit: unknown command "${name}": try kit --help`)
    return EXIT_BAD_INPUT
  }

  try {
    const options = Object.fromEntries(
      Object.entries({ ...command.options, ...commonOptions }).map(([option, spec]) => [
        option,
        { type: spec.type },
      ]),
    )
    let parsed: ReturnType<typeof parseArgs>
    try {
      parsed = parseArgs({
        args: rest,
        options,
        strict: true,
        allowPositionals: Boolean(command.positionals),
      })
    } catch (error) {
      // Node's message quotes a stray argument, which may be a value meant
      // for --value or --secret-value: say what is wrong without repeating it.
      const stray = (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
      const what = stray
        ? `kit ${name} takes no bare arguments; did you leave out an option name?`
        : (error as Error).message.split('\n')[0]
      throw new BadInputError(`${what}: try kit ${name} --help`)
    }
    if (parsed.values.json) linesToStderr()
    if (parsed.values.help) {
      say(commandHelp(command))
      return EXIT_OK
    }
    return await command.run(
      parsed.values as Record<string, string | boolean | undefined>,
      parsed.positionals,
    )
  } catch (error) {
    // The kit's own errors already say what to do; anything else (an SDK
    // error the kit did not expect) is named, with the way to see more.
    const own = typeof (error as { exitCode?: unknown })?.exitCode === 'number'
    const text = error instanceof Error ? error.message : String(error)
    const hint = own ? '' : ' (rerun with KIT_DEBUG=1 for the stack)'
    const prefix = !own && error instanceof Error ? `${error.name}: ` : ''
    warn(`kit ${name}: ${prefix}${text}${hint}`)
    if (process.env.KIT_DEBUG && error instanceof Error) warn(String(error.stack))
    return exitCodeOf(error)
  }
}

// Run when this file is the program (node dist/kit.mjs, tsx scripts/kit.ts),
// not when bin/kit.mjs or a test imports it.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
