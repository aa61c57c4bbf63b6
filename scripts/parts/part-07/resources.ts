// Part 7's resources as the article names them, and the specs the kit
// deploys its two Lambda functions from.

import { readFileSync } from 'node:fs'
import type { Runtime } from '@aws-sdk/client-lambda'
import { BadInputError, ConvergeError } from '../../lib/errors.js'
import type { FunctionSpec } from '../../lib/lambda.js'
import { treatAsSecret } from '../../lib/log.js'
import { distPath } from '../../lib/paths.js'
import { codeSha256 } from '../../lib/zip.js'
import type { PartContext } from '../part.js'

export const ALIAS = 'alias/third-party-secrets'
export const SECRET_NAME = 'third-party/api-key'
export const FUNCTION_NAME = 'use-secret'
export const ROTATION_FUNCTION_NAME = 'rotate-secret'
export const CHECKPOINT_VALUE = '{"api_key":"sk_test_4eC39HqLyjWDarjtT1zdp7dc"}'
const LOCAL_ROLE = 'arn:aws:iam::000000000000:role/lambda-role'

// Tags mark what the kit made, so that a key left without its alias, or an
// orphan of a lost race, can be found again and cleaned up.
export const TAGS = { 'kit:part': '7', 'kit:managed-by': 'localstack-bootstrap-kit' }

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

export const specsOf = (ctx: PartContext) => [useSecretSpec(ctx), rotationSpec(ctx)]
