// Brings one Lambda function to the code and configuration a part asks for,
// touching it only where it differs, then waits until it can be invoked.

import {
  CreateFunctionCommand,
  type FunctionConfiguration,
  GetFunctionCommand,
  type LambdaClient,
  type Runtime,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda'
import { ConvergeError, isAwsError } from './errors.js'
import { progress } from './log.js'

export interface FunctionSpec {
  name: string
  description: string
  runtime: Runtime
  handler: string
  role: string
  timeout: number
  environment: Record<string, string>
  zip: Uint8Array
  codeSha256: string
  tags: Record<string, string>
}

export interface FunctionResult {
  outcome: 'created' | 'exists' | 'updated'
  changed: string[] // what an update touched: code, runtime, timeout, ...
  configuration: FunctionConfiguration
}

// Which of the settings the kit owns differ from the spec. Pure, so the
// decision is unit-tested apart from any emulator.
export function configDrift(current: FunctionConfiguration, spec: FunctionSpec): string[] {
  const drift: string[] = []
  if (current.Runtime !== spec.runtime) drift.push('runtime')
  if (current.Handler !== spec.handler) drift.push('handler')
  if (current.Timeout !== spec.timeout) drift.push('timeout')
  if (current.Role !== spec.role) drift.push('role')

  const have = current.Environment?.Variables ?? {}
  const want = spec.environment
  const keys = new Set([...Object.keys(have), ...Object.keys(want)])
  if ([...keys].some((key) => have[key] !== want[key])) drift.push('environment')
  return drift
}

export async function getConfiguration(lambda: LambdaClient, name: string) {
  try {
    const found = await lambda.send(new GetFunctionCommand({ FunctionName: name }))
    return found.Configuration
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined
    throw error
  }
}

const settled = (fn: FunctionConfiguration) =>
  fn.State === 'Active' && fn.LastUpdateStatus !== 'InProgress'

// Time spent waiting for functions to settle: the emulator's share of a run,
// which the benchmark reports apart from the kit's own.
export const waits = { longestMs: 0 }

// A function takes updates only once it is Active and its last update is done.
// Polls every 25 ms: the emulators settle in about half a second, and a coarser
// poll would add its own interval to every cold start.
export async function waitUntilReady(
  lambda: LambdaClient,
  name: string,
  seconds = 60,
): Promise<FunctionConfiguration> {
  const started = performance.now()
  for (;;) {
    const current = await getConfiguration(lambda, name)
    if (!current)
      throw new ConvergeError(`function ${name}`, 'vanished while the kit waited for it')
    if (current.State === 'Failed' || current.LastUpdateStatus === 'Failed') {
      const reason = current.StateReason || current.LastUpdateStatusReason || 'no reason given'
      throw new ConvergeError(
        `function ${name}`,
        `failed to deploy (${reason}): check the emulator log`,
      )
    }
    const waited = (performance.now() - started) / 1000
    if (settled(current)) {
      waits.longestMs = Math.max(waits.longestMs, waited * 1000)
      return current
    }

    if (waited > seconds) {
      throw new ConvergeError(
        `function ${name}`,
        `still ${current.State} after ${seconds} s: check the emulator log`,
      )
    }
    progress(`waiting for ${name} to turn Active (${waited.toFixed(1)} s)`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

// Another run may be updating the same function: wait for it, then try again.
async function whileNotBusy<T>(
  lambda: LambdaClient,
  name: string,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (!isAwsError(error, 'ResourceConflictException') || attempt >= 5) throw error
      await waitUntilReady(lambda, name)
    }
  }
}

async function create(lambda: LambdaClient, spec: FunctionSpec): Promise<boolean> {
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: spec.name,
        Description: spec.description,
        Runtime: spec.runtime,
        Handler: spec.handler,
        Role: spec.role,
        Timeout: spec.timeout,
        Environment: { Variables: spec.environment },
        Code: { ZipFile: spec.zip },
        Tags: spec.tags,
      }),
    )
    return true
  } catch (error) {
    // Another run created it between our look-up and this call: converge on theirs.
    if (isAwsError(error, 'ResourceConflictException')) return false
    throw error
  }
}

export async function ensureFunction(
  lambda: LambdaClient,
  spec: FunctionSpec,
): Promise<FunctionResult> {
  let current = await getConfiguration(lambda, spec.name)
  if (!current && (await create(lambda, spec))) {
    return {
      outcome: 'created',
      changed: [],
      configuration: await waitUntilReady(lambda, spec.name),
    }
  }

  if (!current || !settled(current)) current = await waitUntilReady(lambda, spec.name)
  const changed: string[] = []

  if (current.CodeSha256 !== spec.codeSha256) {
    await whileNotBusy(lambda, spec.name, () =>
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: spec.name, ZipFile: spec.zip })),
    )
    changed.push('code')
    current = await waitUntilReady(lambda, spec.name)
  }

  const drift = configDrift(current, spec)
  if (drift.length > 0) {
    await whileNotBusy(lambda, spec.name, () =>
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: spec.name,
          Runtime: spec.runtime,
          Handler: spec.handler,
          Role: spec.role,
          Timeout: spec.timeout,
          Environment: { Variables: spec.environment },
        }),
      ),
    )
    changed.push(...drift)
    current = await waitUntilReady(lambda, spec.name)
  }

  return { outcome: changed.length ? 'updated' : 'exists', changed, configuration: current }
}
