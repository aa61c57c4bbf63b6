// kit rotate and kit rollback: Part 7's rotation story from the command line.

import { readFileSync } from 'node:fs'
import { BadInputError, EXIT_OK } from '../lib/errors.js'
import { dim, green, ms, printJson, say } from '../lib/log.js'
import { secretValueFrom } from '../parts/part-07/index.js'
import {
  type RotationResult,
  rollBack,
  rotateByHand,
  rotateWithLambda,
} from '../parts/part-07/rotation.js'
import { type Command, type Values, connect } from './command.js'
import { readMarker, writeMarker } from '../lib/marker.js'
import { checkpointsDir } from '../lib/paths.js'

// `--value -` reads the value from standard input, which keeps it out of the
// shell history and the process list.
function valueFrom(raw: string | boolean | undefined): string | undefined {
  if (raw === undefined) return undefined
  if (raw === '-') return readFileSync(0, 'utf8').trim()
  if (typeof raw !== 'string' || raw === '')
    throw new BadInputError('--value needs a JSON object, or - to read it from stdin')
  return raw
}

// A rotation is the reader's own change, not drift: the Part 7 marker (where
// there is one) follows it, so status stays in sync.
function recordRotation(outcome: RotationResult): void {
  const marker = readMarker(checkpointsDir(), 7)
  if (!marker?.resources.secret) return
  marker.resources.secret.currentVersionId = outcome.current
  writeMarker(checkpointsDir(), marker)
}

function report(values: Values, started: number, outcome: RotationResult) {
  recordRotation(outcome)
  if (values.json) {
    printJson(outcome)
    return
  }
  say(`  secret ${outcome.secret}  ${green(outcome.via)}  ${dim(`(${ms(started)})`)}`)
  say(`    AWSCURRENT   ${outcome.current}  ${outcome.preview}`)
  say(`    AWSPREVIOUS  ${outcome.previous || '-'}`)
}

export const rotationCommands: Record<string, Command> = {
  rotate: {
    summary:
      'rotate the Part 7 secret: by hand with --value, else through the rotate-secret Lambda',
    usage: 'kit rotate [--value JSON | --value -] [--token ID] [--json]',
    options: {
      value: {
        type: 'string',
        help: "put this JSON as the new AWSCURRENT (the article's manual rotation)",
      },
      token: {
        type: 'string',
        help: "the rotation's ClientRequestToken, to retry or resume one (default: new)",
      },
      json: { type: 'boolean', help: 'print the version ids and preview as JSON' },
    },
    async run(values) {
      const value = valueFrom(values.value)
      if (value !== undefined && values.token !== undefined) {
        throw new BadInputError('--token goes with a Lambda rotation, not with --value')
      }
      if (value !== undefined) secretValueFrom(value)
      const started = performance.now()
      const ctx = await connect(values)
      const outcome =
        value !== undefined
          ? await rotateByHand(ctx, value)
          : await rotateWithLambda(ctx, values.token as string | undefined)
      report(values, started, outcome)
      return EXIT_OK
    },
  },

  rollback: {
    summary: 'move AWSCURRENT back to the AWSPREVIOUS version of the Part 7 secret',
    usage: 'kit rollback [--json]',
    options: {
      json: { type: 'boolean', help: 'print the version ids and preview as JSON' },
    },
    async run(values) {
      const started = performance.now()
      const ctx = await connect(values)
      report(values, started, await rollBack(ctx))
      return EXIT_OK
    },
  },
}
