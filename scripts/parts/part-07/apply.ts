// Brings Part 7 up: the key and the secret bound to it, and both functions
// deployed side by side, then the result checked before a marker is written.

import { ConvergeError } from '../../lib/errors.js'
import { ensureKey } from '../../lib/kms.js'
import { type FunctionSpec, ensureFunction } from '../../lib/lambda.js'
import { ms, outcomeLine, say } from '../../lib/log.js'
import type { Marker } from '../../lib/marker.js'
import { currentVersionOf, ensureSecret } from '../../lib/secrets.js'
import type { PartContext } from '../part.js'
import { ALIAS, SECRET_NAME, TAGS, secretValueFrom, specsOf } from './resources.js'
import { type Live, problemsOf, resourcesOf } from './state.js'

function describe(outcome: string, changed: string[]): string {
  return changed.length ? `${outcome} (${changed.join(', ')})` : outcome
}

async function applyKeyAndSecret(ctx: PartContext) {
  let started = performance.now()
  const key = await ensureKey(ctx.aws.kms, {
    alias: ALIAS,
    description: 'Encryption key for third-party API secrets',
    tags: TAGS,
  })
  say(outcomeLine('key', key.outcome, `${ALIAS} -> ${key.key.KeyId}`, ms(started)))
  for (const orphan of key.orphans) {
    say(
      outcomeLine(
        'orphan key',
        'retired',
        `${orphan} scheduled for deletion in 7 days`,
        ms(started),
      ),
    )
  }

  started = performance.now()
  const secret = await ensureSecret(
    ctx.aws.secrets,
    {
      name: SECRET_NAME,
      description: 'Demo API key for the LocalStack series Part 7',
      kmsKeyId: ALIAS,
      value: secretValueFrom(ctx.options.secretValue),
      tags: TAGS,
    },
    key.key,
    { putValue: ctx.options.resetSecretValue },
  )
  const version = currentVersionOf(secret.secret)
  say(
    outcomeLine(
      'secret',
      describe(secret.outcome, secret.changed),
      `${SECRET_NAME} @ ${version}`,
      ms(started),
    ),
  )
  return { key: key.key, secret: secret.secret }
}

async function applyFunction(ctx: PartContext, spec: FunctionSpec) {
  const started = performance.now()
  const result = await ensureFunction(ctx.aws.lambda, spec)
  const detail = `${spec.name} ${result.configuration.State} ${result.configuration.CodeSha256}`
  say(outcomeLine('function', describe(result.outcome, result.changed), detail, ms(started)))
  return result.configuration
}

export async function apply(ctx: PartContext): Promise<Marker['resources']> {
  // The functions do not depend on the key or the secret, so they are deployed
  // while those are made; the secret waits only for the key it is bound to.
  const specs = specsOf(ctx)
  const [{ key, secret }, fn, rotation] = await Promise.all([
    applyKeyAndSecret(ctx),
    ...specs.map((spec) => applyFunction(ctx, spec)),
  ])

  // Each step above ends on a read made after its last change, so together
  // they are the live state: checked here before any marker is written.
  const live: Live = { keyId: key.KeyId, key, secret, fn, rotation }
  const problems = problemsOf(live, specs)
  if (problems.length) {
    const first = problems[0]
    throw new ConvergeError(
      first.resource,
      `${first.problem}: run kit apply --part 7, or see the emulator log`,
    )
  }
  return resourcesOf(live)
}
