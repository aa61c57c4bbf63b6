// kit: brings parts of the series up on a local emulator and checks them.
// Each subcommand is a short function below; the shared steps (read the
// input, find the emulator) run once before any of them touches AWS.

import { parseArgs } from 'node:util'
import { relative } from 'node:path'
import { type Aws, awsFor } from './lib/aws.js'
import { resolveEndpoint } from './lib/endpoint.js'
import { BadInputError, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, exitCodeOf } from './lib/errors.js'
import { dim, green, ms, red, say, warn, yellow } from './lib/log.js'
import { checkpointsDir } from './lib/paths.js'
import { type Marker, readMarker, removeMarker, writeMarker } from './lib/marker.js'
import { type EmulatorInfo, waitForEmulator, waitSecondsFrom } from './lib/ready.js'
import { findPart, parts, planFor } from './parts/index.js'
import type { Part, PartContext } from './parts/part.js'
import { secretValueFrom } from './parts/part-07.js'

interface Command {
  summary: string
  usage: string
  options: Record<string, { type: 'string' | 'boolean'; help: string }>
  run(values: Record<string, string | boolean | undefined>): Promise<number>
}

const common = {
  'allow-remote': { type: 'boolean', help: 'allow an endpoint that is not a local emulator (real AWS)' },
  help: { type: 'boolean', help: 'show this help' },
} as const

// Reads the endpoint and waits for the emulator: the steps every command
// that talks to AWS shares. Input is checked before anything is sent.
async function connect(values: Record<string, unknown>, options: PartContext['options']) {
  const endpoint = resolveEndpoint(process.env.AWS_ENDPOINT_URL, Boolean(values['allow-remote']))
  const emulator = await waitForEmulator(endpoint, waitSecondsFrom(process.env.KIT_WAIT_SECONDS))
  const aws = awsFor(endpoint)
  return { aws, emulator, options } satisfies PartContext
}

function partsFrom(raw: unknown): Part[] {
  return raw === undefined ? parts : [findPart(String(raw))]
}

function markerFor(part: Part, aws: Aws, emulator: EmulatorInfo, resources: Marker['resources']): Marker {
  return {
    part: part.number,
    title: part.title,
    completedAt: new Date().toISOString(),
    endpoint: aws.endpoint.url,
    emulator,
    resources,
  }
}

const commands: Record<string, Command> = {
  apply: {
    summary: 'bring a part (and the parts it needs) to its checkpoint state',
    usage: 'kit apply [--part N] [--reset-secret-value] [--secret-value JSON]',
    options: {
      part: { type: 'string', help: 'the part to apply (default: every part the kit knows)' },
      'reset-secret-value': { type: 'boolean', help: 'put the checkpoint secret value back as a new version' },
      'secret-value': { type: 'string', help: 'your own secret value, a JSON object, used where the kit writes one' },
      json: { type: 'boolean', help: 'print the markers as JSON' },
    },
    async run(values) {
      const targets = partsFrom(values.part)
      const secretValue = values['secret-value'] as string | undefined
      if (secretValue !== undefined) secretValueFrom(secretValue)
      const ctx = await connect(values, {
        resetSecretValue: Boolean(values['reset-secret-value']),
        secretValue,
      })

      const plan = [...new Set(targets.flatMap(planFor))]
      const markers: Marker[] = []
      for (const part of plan) {
        const started = performance.now()
        if (!values.json) say(`part ${part.number}: ${part.title} ${dim(`(${ctx.emulator.name} at ${ctx.aws.endpoint.url})`)}`)
        const resources = await part.apply(ctx)
        const marker = markerFor(part, ctx.aws, ctx.emulator, resources)
        const file = writeMarker(checkpointsDir(), marker)
        markers.push(marker)
        if (!values.json) say(`${green('ready')} part ${part.number} in ${ms(started)}, marker ${relative(process.cwd(), file) || file}`)
      }
      if (values.json) say(JSON.stringify(markers, null, 2))
      return EXIT_OK
    },
  },

  status: {
    summary: 'compare each part\'s marker with the live state',
    usage: 'kit status [--part N] [--json]',
    options: {
      part: { type: 'string', help: 'only this part' },
      json: { type: 'boolean', help: 'print the result as JSON' },
    },
    async run(values) {
      const targets = partsFrom(values.part)
      const ctx = await connect(values, { resetSecretValue: false })
      const report = []
      for (const part of targets) {
        const marker = readMarker(checkpointsDir(), part.number)
        const { findings, present } = await part.inspect(ctx, marker)
        // No marker: never applied here. A marker none of whose resources
        // exist: the emulator lost its state (a restart) since it was written.
        const state = !marker ? 'missing' : !present ? 'stale' : findings.length ? 'drifted' : 'in sync'
        report.push({ part: part.number, title: part.title, state, markedAt: marker?.completedAt, findings })
      }

      if (values.json) say(JSON.stringify({ endpoint: ctx.aws.endpoint.url, emulator: ctx.emulator, parts: report }, null, 2))
      else {
        for (const entry of report) {
          const paint = entry.state === 'in sync' ? green : entry.state === 'drifted' ? yellow : red
          say(`part ${entry.part}  ${paint(entry.state)}  ${dim(entry.markedAt ? `marked ${entry.markedAt}` : 'no marker')}`)
          for (const finding of entry.findings) say(`  ${finding.resource}: ${finding.problem}`)
          if (entry.state !== 'in sync') say(dim(`  run: kit apply --part ${entry.part}`))
        }
      }
      return report.every((entry) => entry.state === 'in sync') ? EXIT_OK : EXIT_FAILED
    },
  },

  smoke: {
    summary: 'check a running environment the way a reader would, changing nothing',
    usage: 'kit smoke [--part N] [--json]',
    options: {
      part: { type: 'string', help: 'only this part' },
      json: { type: 'boolean', help: 'print the checks as JSON' },
    },
    async run(values) {
      const targets = partsFrom(values.part)
      const started = performance.now()
      const ctx = await connect(values, { resetSecretValue: false })
      const results = []
      for (const part of targets) {
        for (const check of await part.smoke(ctx)) results.push({ part: part.number, ...check })
      }
      const failed = results.filter((check) => !check.ok).length

      if (values.json) say(JSON.stringify({ passed: results.length - failed, failed, checks: results }, null, 2))
      else {
        for (const check of results) {
          say(`${check.ok ? green('ok  ') : red('FAIL')} part ${check.part}  ${check.name}  ${dim(check.detail)}`)
        }
        say(`${results.length - failed} passed, ${failed} failed ${dim(`(${ms(started)})`)}`)
      }
      return failed === 0 ? EXIT_OK : EXIT_FAILED
    },
  },

  reset: {
    summary: 'remove a part\'s resources and its marker (the article\'s cleanup)',
    usage: 'kit reset --part N',
    options: {
      part: { type: 'string', help: 'the part to remove (required)' },
    },
    async run(values) {
      if (values.part === undefined) throw new BadInputError('reset needs --part N, e.g. kit reset --part 7')
      const part = findPart(String(values.part))
      const ctx = await connect(values, { resetSecretValue: false })
      for (const line of await part.reset(ctx)) say(`  ${line}`)
      if (removeMarker(checkpointsDir(), part.number)) say(`  marker part-${String(part.number).padStart(2, '0')}.json removed`)
      say(`part ${part.number} reset; kit apply --part ${part.number} brings it back`)
      return EXIT_OK
    },
  },
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length))
  return [
    'kit: bring the Run AWS on Your Laptop series up on a local emulator',
    '',
    'usage: kit <command> [options]',
    '',
    ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    'The emulator is AWS_ENDPOINT_URL (default http://localhost:4566); the kit waits',
    'up to KIT_WAIT_SECONDS (60) for it. Exit codes: 0 ok, 1 failed, 2 bad input.',
    'kit <command> --help tells more.',
  ].join('\n')
}

function commandHelp(name: string, command: Command): string {
  const all = { ...command.options, ...common }
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
  const command = commands[name === 'up' ? 'apply' : name]
  if (!command) {
    warn(`kit: unknown command "${name}": try kit --help`)
    return EXIT_BAD_INPUT
  }

  try {
    const options = Object.fromEntries(
      Object.entries({ ...command.options, ...common }).map(([option, spec]) => [option, { type: spec.type }]),
    )
    let values: Record<string, string | boolean | undefined>
    try {
      values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values
    } catch (error) {
      throw new BadInputError(`${(error as Error).message.split('\n')[0]}: try kit ${name} --help`)
    }
    if (values.help) {
      say(commandHelp(name, command))
      return EXIT_OK
    }
    return await command.run(values)
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

// Run when executed, not when imported by the tests.
if (process.argv[1] && /kit\.(ts|mjs)$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2))
}
