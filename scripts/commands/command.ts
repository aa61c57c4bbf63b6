// What every kit subcommand is, and the steps they share: read the input,
// find the emulator, make the clients. Input is checked before anything is
// sent, so a refused command has changed nothing.

import { awsFor } from '../lib/aws.js'
import { resolveEndpoint } from '../lib/endpoint.js'
import { waitForEmulator, waitSecondsFrom } from '../lib/ready.js'
import type { ApplyOptions, PartContext } from '../parts/part.js'

export type Values = Record<string, string | boolean | undefined>

export interface Option {
  type: 'string' | 'boolean'
  help: string
}

export interface Command {
  summary: string
  usage: string
  options: Record<string, Option>
  positionals?: boolean
  run(values: Values, positionals: string[]): Promise<number>
}

export const commonOptions: Record<string, Option> = {
  'allow-remote': {
    type: 'boolean',
    help: 'allow an endpoint that is not a local emulator (real AWS)',
  },
  help: { type: 'boolean', help: 'show this help' },
}

export async function connect(
  values: Values,
  options: ApplyOptions = { resetSecretValue: false },
): Promise<PartContext> {
  const endpoint = resolveEndpoint(process.env.AWS_ENDPOINT_URL, Boolean(values['allow-remote']))
  const emulator = await waitForEmulator(endpoint, waitSecondsFrom(process.env.KIT_WAIT_SECONDS))
  return { aws: awsFor(endpoint), emulator, options }
}
