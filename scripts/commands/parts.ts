// The subcommands that work on whole parts: apply (up), status, smoke, reset.

import { isAbsolute, join, relative } from 'node:path'
import { BadInputError, EXIT_FAILED, EXIT_OK } from '../lib/errors.js'
import { waits } from '../lib/lambda.js'
import { dim, green, ms, red, printJson, say, warn, yellow } from '../lib/log.js'
import { type Marker, readMarker, removeMarker, writeMarker } from '../lib/marker.js'
import { checkpointsDir, projectRoot } from '../lib/paths.js'
import { findPart, parts, planFor } from '../parts/index.js'
import type { Part, PartContext } from '../parts/part.js'
import { secretValueFrom } from '../parts/part-07/index.js'
import { type Command, connect } from './command.js'

// --part and --json, as status and smoke take them.
const onePartAsJson = (json: string) =>
  ({
    part: { type: 'string', help: 'only this part' },
    json: { type: 'boolean', help: `print ${json} as JSON` },
  }) as const

function partsFrom(raw: unknown): Part[] {
  return raw === undefined ? parts : [findPart(String(raw))]
}

export function cacheTtlFrom(raw: unknown): number {
  if (raw === undefined || raw === '') return 0
  const seconds = Number(raw)
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw new BadInputError(
      `cache time-to-live "${raw}" is not a whole number of seconds from 0 to 3600`,
    )
  }
  return seconds
}

// No marker: never applied here. A marker none of whose resources exist: the
// emulator lost its state (a restart) since it was written.
function stateOf(marker: Marker | undefined, present: boolean, findings: number): string {
  if (!marker) return 'missing'
  if (!present) return 'stale'
  return findings > 0 ? 'drifted' : 'in sync'
}

// Relative to where the reader stands when that is shorter and inside it.
function shortPath(file: string): string {
  const near = relative(process.cwd(), file)
  return near && !near.startsWith('..') && !isAbsolute(near) ? near : file
}

export function markerFor(part: Part, ctx: PartContext, resources: Marker['resources']): Marker {
  return {
    part: part.number,
    title: part.title,
    completedAt: new Date().toISOString(),
    endpoint: ctx.aws.endpoint.url,
    emulator: ctx.emulator,
    options: { cacheTtlSeconds: ctx.options.cacheTtlSeconds ?? 0 },
    resources,
  }
}

export const partCommands: Record<string, Command> = {
  apply: {
    summary: 'bring a part (and the parts it needs) to its checkpoint state',
    usage: 'kit apply [--part N] [--reset-secret-value] [--secret-value JSON]',
    options: {
      part: { type: 'string', help: 'the part to apply (default: every part the kit knows)' },
      'reset-secret-value': {
        type: 'boolean',
        help: 'put the checkpoint secret value back as a new version',
      },
      'secret-value': {
        type: 'string',
        help: 'your own secret value, a JSON object, used where the kit writes one',
      },
      'cache-ttl': {
        type: 'string',
        help: 'seconds use-secret may cache the value (default 0; or KIT_CACHE_TTL_SECONDS)',
      },
      json: { type: 'boolean', help: 'print the markers as JSON' },
    },
    async run(values) {
      const targets = partsFrom(values.part)
      const secretValue = values['secret-value'] as string | undefined
      if (secretValue !== undefined) secretValueFrom(secretValue)
      const cacheTtlSeconds = cacheTtlFrom(values['cache-ttl'] ?? process.env.KIT_CACHE_TTL_SECONDS)
      const ctx = await connect(values, {
        resetSecretValue: Boolean(values['reset-secret-value']),
        secretValue,
        cacheTtlSeconds,
      })

      const plan = [...new Set(targets.flatMap(planFor))]
      const markers: Marker[] = []
      for (const part of plan) {
        const started = performance.now()
        const where = `${ctx.emulator.name} at ${ctx.aws.endpoint.url}`
        say(`part ${part.number}: ${part.title} ${dim(`(${where})`)}`)

        const marker = markerFor(part, ctx, await part.apply(ctx))
        const file = shortPath(writeMarker(checkpointsDir(), marker))
        markers.push(marker)
        say(`${green('ready')} part ${part.number} in ${ms(started)}, marker ${file}`)
      }
      if (values.json) printJson(markers)
      // For the benchmark: how long the run only waited for the emulator.
      if (process.env.KIT_TIMINGS)
        warn(`timings ${JSON.stringify({ emulatorWaitMs: Math.round(waits.longestMs) })}`)
      return EXIT_OK
    },
  },

  status: {
    summary: "compare each part's marker with the live state",
    usage: 'kit status [--part N] [--json]',
    options: onePartAsJson('the result'),
    async run(values) {
      const targets = partsFrom(values.part)
      const ctx = await connect(values, { resetSecretValue: false })
      const report = []
      for (const part of targets) {
        const marker = readMarker(checkpointsDir(), part.number)
        const options = { ...ctx.options, cacheTtlSeconds: marker?.options?.cacheTtlSeconds ?? 0 }
        const { findings, present } = await part.inspect({ ...ctx, options }, marker)
        const state = stateOf(marker, present, findings.length)
        report.push({
          part: part.number,
          title: part.title,
          state,
          markedAt: marker?.completedAt,
          findings,
        })
      }

      if (values.json) {
        printJson({ endpoint: ctx.aws.endpoint.url, emulator: ctx.emulator, parts: report })
      } else {
        for (const entry of report) {
          const paint = entry.state === 'in sync' ? green : entry.state === 'drifted' ? yellow : red
          say(
            `part ${entry.part}  ${paint(entry.state)}  ${dim(entry.markedAt ? `marked ${entry.markedAt}` : 'no marker')}`,
          )
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
    options: onePartAsJson('the checks'),
    async run(values) {
      const targets = partsFrom(values.part)
      const started = performance.now()
      const ctx = await connect(values, { resetSecretValue: false })
      const results = []
      for (const part of targets) {
        for (const check of await part.smoke(ctx)) results.push({ part: part.number, ...check })
      }
      const failed = results.filter((check) => !check.ok).length

      if (values.json) printJson({ passed: results.length - failed, failed, checks: results })
      else {
        for (const check of results) {
          say(
            `${check.ok ? green('ok  ') : red('FAIL')} part ${check.part}  ${check.name}  ${dim(check.detail)}`,
          )
        }
        say(`${results.length - failed} passed, ${failed} failed ${dim(`(${ms(started)})`)}`)
      }
      return failed === 0 ? EXIT_OK : EXIT_FAILED
    },
  },

  reset: {
    summary: "remove a part's resources and its marker (the article's cleanup)",
    usage: 'kit reset --part N',
    options: {
      part: { type: 'string', help: 'the part to remove (required)' },
    },
    async run(values) {
      if (values.part === undefined)
        throw new BadInputError('reset needs --part N, e.g. kit reset --part 7')
      const part = findPart(String(values.part))
      const ctx = await connect(values, { resetSecretValue: false })
      for (const line of await part.reset(ctx)) say(`  ${line}`)
      if (removeMarker(checkpointsDir(), part.number))
        say(`  marker part-${String(part.number).padStart(2, '0')}.json removed`)
      say(`part ${part.number} reset; kit apply --part ${part.number} brings it back`)
      return EXIT_OK
    },
  },

  bench: {
    summary: "time the Part 7 hook against the article's CLI steps (same as npm run bench)",
    usage: 'kit bench',
    options: {},
    // The benchmark starts its own emulator and needs the dev tools (tsx,
    // zx), so it runs as its own process from the kit folder.
    async run() {
      const { spawnSync } = await import('node:child_process')
      const ran = spawnSync('npx', ['tsx', join(projectRoot(), 'bench', 'part7.ts')], {
        cwd: projectRoot(),
        stdio: 'inherit',
      })
      return ran.status ?? EXIT_FAILED
    },
  },
}
