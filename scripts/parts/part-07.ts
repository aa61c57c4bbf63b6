// Part 7: Secrets Manager + KMS. A customer-managed key behind an alias, a
// secret bound to it, and the use-secret Lambda that reads the secret on
// every call, so a rotated value goes live without a redeploy.

import { readFileSync } from 'node:fs'
import { ScheduleKeyDeletionCommand, DeleteAliasCommand } from '@aws-sdk/client-kms'
import { DeleteFunctionCommand, InvokeCommand, type Runtime } from '@aws-sdk/client-lambda'
import { DeleteSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { BadInputError, ConvergeError, isAwsError } from '../lib/errors.js'
import { describeKey, ensureKey, findAliasTarget } from '../lib/kms.js'
import { type FunctionSpec, configDrift, ensureFunction, getConfiguration } from '../lib/lambda.js'
import { ms, outcomeLine, say, treatAsSecret } from '../lib/log.js'
import { distPath } from '../lib/paths.js'
import { currentVersionOf, describeSecret, ensureSecret, isBoundTo } from '../lib/secrets.js'
import { codeSha256 } from '../lib/zip.js'
import { previewOf } from '../../handler/use-secret/preview.js'
import type { Finding, Part, PartContext, SmokeCheck } from './part.js'

export const ALIAS = 'alias/third-party-secrets'
export const SECRET_NAME = 'third-party/api-key'
export const FUNCTION_NAME = 'use-secret'
export const ROTATION_FUNCTION_NAME = 'rotate-secret'
export const CHECKPOINT_VALUE = '{"api_key":"sk_test_4eC39HqLyjWDarjtT1zdp7dc"}'
const LOCAL_ROLE = 'arn:aws:iam::000000000000:role/lambda-role'

// Tags mark what the kit made, so that a key left without its alias, or an
// orphan of a lost race, can be found again and cleaned up.
const TAGS = { 'kit:part': '7', 'kit:managed-by': 'localstack-bootstrap-kit' }

treatAsSecret(CHECKPOINT_VALUE)

// The secret value the reader asked for: theirs if given (it must be a JSON
// object, as the article's is), else the checkpoint's.
export function secretValueFrom(raw: string | undefined): string {
  if (raw === undefined) return CHECKPOINT_VALUE
  treatAsSecret(raw)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    parsed = undefined
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadInputError(
      'the secret value is not a JSON object: pass it as \'{"api_key":"..."}\'',
    )
  }
  return raw
}

function roleFor(ctx: PartContext): string {
  if (ctx.aws.endpoint.local) return LOCAL_ROLE
  const role = process.env.KIT_LAMBDA_ROLE_ARN
  if (!role)
    throw new BadInputError('a real AWS account needs a Lambda role: set KIT_LAMBDA_ROLE_ARN')
  return role
}

// Zips are read once per run; a missing one means the kit was never built.
const zips = new Map<string, Uint8Array>()
function zipOf(name: string): Uint8Array {
  let zip = zips.get(name)
  if (!zip) {
    try {
      zip = readFileSync(distPath(`${name}.zip`))
    } catch (error) {
      throw new ConvergeError(
        `function ${name}`,
        `dist/${name}.zip is missing: run npm run build`,
        { cause: error },
      )
    }
    zips.set(name, zip)
  }
  return zip
}

function functionSpec(
  ctx: PartContext,
  name: string,
  description: string,
  timeout: number,
  environment: Record<string, string>,
): FunctionSpec {
  const zip = zipOf(name)
  return {
    name,
    description,
    runtime: 'nodejs22.x' as Runtime,
    handler: 'index.handler',
    role: roleFor(ctx),
    timeout,
    environment,
    zip,
    codeSha256: codeSha256(zip),
    tags: TAGS,
  }
}

// use-secret as the article deploys it; a cache time-to-live is added to its
// environment only when the reader asks for one.
export function useSecretSpec(ctx: PartContext): FunctionSpec {
  const ttl = ctx.options.cacheTtlSeconds
  const environment: Record<string, string> = { SECRET_ID: SECRET_NAME }
  if (ttl) environment.SECRET_CACHE_TTL_SECONDS = String(ttl)
  return functionSpec(
    ctx,
    FUNCTION_NAME,
    'Part 7: reads third-party/api-key on every call and returns a preview',
    10,
    environment,
  )
}

export function rotationSpec(ctx: PartContext): FunctionSpec {
  return functionSpec(
    ctx,
    ROTATION_FUNCTION_NAME,
    'Part 7: rotates third-party/api-key in four steps',
    30,
    {},
  )
}

const specsOf = (ctx: PartContext) => [useSecretSpec(ctx), rotationSpec(ctx)]

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

// Everything Part 7 consists of, as the emulator has it now.
async function readLive(ctx: PartContext) {
  const { kms, secrets, lambda } = ctx.aws
  const [keyId, secret, fn, rotation] = await Promise.all([
    findAliasTarget(kms, ALIAS),
    describeSecret(secrets, SECRET_NAME),
    getConfiguration(lambda, FUNCTION_NAME),
    getConfiguration(lambda, ROTATION_FUNCTION_NAME),
  ])
  const key = keyId ? await describeKey(kms, keyId) : undefined
  return { keyId, key, secret, fn, rotation }
}

type Live = Awaited<ReturnType<typeof readLive>>

// What is wrong with the live state on its own, marker or not.
function problemsOf(live: Live, specs: FunctionSpec[]): Finding[] {
  const findings: Finding[] = []
  if (!live.keyId) findings.push({ resource: `alias ${ALIAS}`, problem: 'missing' })
  else if (!live.key)
    findings.push({ resource: `alias ${ALIAS}`, problem: `points to missing key ${live.keyId}` })
  else if (live.key.KeyState !== 'Enabled') {
    findings.push({
      resource: `key ${live.key.KeyId}`,
      problem: `is ${live.key.KeyState}, not Enabled`,
    })
  }

  if (!live.secret) findings.push({ resource: `secret ${SECRET_NAME}`, problem: 'missing' })
  else if (live.secret.DeletedDate)
    findings.push({ resource: `secret ${SECRET_NAME}`, problem: 'scheduled for deletion' })
  else if (live.key && !isBoundTo(live.secret.KmsKeyId, ALIAS, live.key)) {
    findings.push({
      resource: `secret ${SECRET_NAME}`,
      problem: `bound to ${live.secret.KmsKeyId}, not ${ALIAS}`,
    })
  }

  for (const spec of specs) {
    const fn = spec.name === FUNCTION_NAME ? live.fn : live.rotation
    const resource = `function ${spec.name}`
    if (!fn) {
      findings.push({ resource, problem: 'missing' })
      continue
    }
    if (fn.State !== 'Active') findings.push({ resource, problem: `is ${fn.State}` })
    if (fn.CodeSha256 !== spec.codeSha256)
      findings.push({ resource, problem: `code differs from handler/${spec.name}` })
    for (const field of configDrift(fn, spec))
      findings.push({ resource, problem: `${field} drifted` })
  }
  return findings
}

function resourcesOf(live: Live): Record<string, Record<string, string>> {
  return {
    key: { id: live.key!.KeyId!, arn: live.key!.Arn!, alias: ALIAS },
    secret: {
      name: SECRET_NAME,
      arn: live.secret!.ARN!,
      kmsKeyId: live.secret!.KmsKeyId ?? '',
      currentVersionId: currentVersionOf(live.secret) ?? '',
    },
    function: {
      name: FUNCTION_NAME,
      arn: live.fn!.FunctionArn!,
      codeSha256: live.fn!.CodeSha256!,
      lastModified: live.fn!.LastModified ?? '',
    },
    rotationFunction: {
      name: ROTATION_FUNCTION_NAME,
      arn: live.rotation!.FunctionArn!,
      codeSha256: live.rotation!.CodeSha256!,
    },
  }
}

export const part7: Part = {
  number: 7,
  title: 'Secrets Manager + KMS: handling secrets and encryption locally',
  needs: [],

  async apply(ctx) {
    // The function does not depend on the key or the secret, so it is deployed
    // while they are made; the secret waits for the key it is bound to.
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
  },

  async inspect(ctx, marker) {
    const live = await readLive(ctx)
    const findings = problemsOf(live, specsOf(ctx))
    if (!marker) return { findings, present: Boolean(live.key || live.secret || live.fn) }

    const was = marker.resources
    const present = Boolean(
      (live.key && live.key.KeyId === was.key?.id) ||
      (live.secret && live.secret.ARN === was.secret?.arn) ||
      (live.fn &&
        live.fn.FunctionArn === was.function?.arn &&
        live.fn.LastModified === was.function?.lastModified),
    )
    if (live.key && was.key?.id && live.key.KeyId !== was.key.id) {
      findings.push({
        resource: `alias ${ALIAS}`,
        problem: `points to ${live.key.KeyId}, the marker says ${was.key.id}`,
      })
    }
    if (live.secret && was.secret?.arn && live.secret.ARN !== was.secret.arn) {
      findings.push({
        resource: `secret ${SECRET_NAME}`,
        problem: 'was created again since the marker',
      })
    } else if (live.secret && currentVersionOf(live.secret) !== was.secret?.currentVersionId) {
      findings.push({
        resource: `secret ${SECRET_NAME}`,
        problem: `AWSCURRENT is ${currentVersionOf(live.secret)}, the marker says ${was.secret?.currentVersionId}`,
      })
    }
    if (live.fn && was.function?.codeSha256 && live.fn.CodeSha256 !== was.function.codeSha256) {
      findings.push({
        resource: `function ${FUNCTION_NAME}`,
        problem: 'code changed since the marker',
      })
    }
    return { findings, present }
  },

  async smoke(ctx) {
    const checks: SmokeCheck[] = []
    const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail })
    const live = await readLive(ctx)

    check(
      'alias points to an Enabled key',
      live.key?.KeyState === 'Enabled',
      live.key ? `${ALIAS} -> ${live.key.KeyId} (${live.key.KeyState})` : `${ALIAS} missing`,
    )
    check(
      'secret is bound to the key',
      Boolean(
        live.key &&
        live.secret &&
        !live.secret.DeletedDate &&
        isBoundTo(live.secret.KmsKeyId, ALIAS, live.key),
      ),
      live.secret ? `KmsKeyId ${live.secret.KmsKeyId}` : 'secret missing',
    )

    // The value is read to check its shape and to know which preview to
    // expect; only the preview is ever printed.
    let expectedPreview = ''
    if (live.secret && !live.secret.DeletedDate) {
      const value = await ctx.aws.secrets.send(new GetSecretValueCommand({ SecretId: SECRET_NAME }))
      treatAsSecret(value.SecretString)
      expectedPreview = previewOf(value.SecretString)
      check(
        'secret holds JSON with an api_key',
        expectedPreview !== '***',
        `preview ${expectedPreview}`,
      )
    } else {
      check('secret holds JSON with an api_key', false, 'secret missing')
    }

    check(
      `${ROTATION_FUNCTION_NAME} is Active`,
      live.rotation?.State === 'Active',
      live.rotation ? `State ${live.rotation.State}` : 'function missing',
    )
    const active = live.fn?.State === 'Active'
    check(
      `${FUNCTION_NAME} is Active`,
      active,
      live.fn ? `State ${live.fn.State}` : 'function missing',
    )
    if (!active) return checks

    const answer = await ctx.aws.lambda.send(
      new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: Buffer.from('{}') }),
    )
    const body = JSON.parse(Buffer.from(answer.Payload ?? []).toString() || '{}')
    const current = currentVersionOf(live.secret)
    check(
      `${FUNCTION_NAME} returns the AWSCURRENT preview`,
      !answer.FunctionError &&
        body.api_key_preview === expectedPreview &&
        body.version_id === current &&
        body.version_stages?.includes('AWSCURRENT'),
      answer.FunctionError
        ? `error ${answer.FunctionError}`
        : `${body.api_key_preview} @ ${body.version_id}`,
    )
    return checks
  },

  async reset(ctx) {
    const { kms, secrets, lambda } = ctx.aws
    const done: string[] = []

    try {
      await secrets.send(
        new DeleteSecretCommand({ SecretId: SECRET_NAME, ForceDeleteWithoutRecovery: true }),
      )
      done.push(`secret ${SECRET_NAME} deleted`)
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) throw error
    }

    const keyId = await findAliasTarget(kms, ALIAS)
    if (keyId) {
      await kms.send(new DeleteAliasCommand({ AliasName: ALIAS }))
      done.push(`alias ${ALIAS} deleted`)
      const key = await describeKey(kms, keyId)
      if (key && key.KeyState !== 'PendingDeletion') {
        await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }))
        done.push(`key ${keyId} scheduled for deletion in 7 days`)
      }
    }

    for (const name of [FUNCTION_NAME, ROTATION_FUNCTION_NAME]) {
      try {
        await lambda.send(new DeleteFunctionCommand({ FunctionName: name }))
        done.push(`function ${name} deleted`)
      } catch (error) {
        if (!isAwsError(error, 'ResourceNotFoundException')) throw error
      }
    }
    return done
  },
}
