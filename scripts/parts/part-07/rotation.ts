// Part 7's rotation story: a value put by hand, a full four-step rotation
// through the rotate-secret Lambda, and a rollback to the previous version.
// Only version ids and previews are ever returned, never a value.

import { randomUUID } from 'node:crypto'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import {
  type DescribeSecretResponse,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager'
import { previewOf } from '../../../handler/use-secret/preview.js'
import { ConvergeError } from '../../lib/errors.js'
import { getConfiguration } from '../../lib/lambda.js'
import { treatAsSecret } from '../../lib/log.js'
import { currentVersionOf, describeSecret, versionWith } from '../../lib/secrets.js'
import type { PartContext } from '../part.js'
import { ROTATION_FUNCTION_NAME, SECRET_NAME, secretValueFrom } from './resources.js'

export interface RotationResult {
  secret: string
  current: string // the version that is AWSCURRENT now
  previous: string // the version that is AWSPREVIOUS now
  preview: string
  via: 'put-secret-value' | 'rotate-secret (RotateSecret)' | 'rotate-secret (kit)' | 'rollback'
}

const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const

async function liveSecret(ctx: PartContext): Promise<DescribeSecretResponse> {
  const secret = await describeSecret(ctx.aws.secrets, SECRET_NAME)
  if (!secret || secret.DeletedDate) {
    throw new ConvergeError(
      `secret ${SECRET_NAME}`,
      'is missing or deleted: run kit apply --part 7 first',
    )
  }
  return secret
}

async function previewAt(ctx: PartContext, stage: string): Promise<string> {
  const found = await ctx.aws.secrets.send(
    new GetSecretValueCommand({ SecretId: SECRET_NAME, VersionStage: stage }),
  )
  treatAsSecret(found.SecretString)
  return previewOf(found.SecretString)
}

async function result(ctx: PartContext, via: RotationResult['via']): Promise<RotationResult> {
  const secret = await liveSecret(ctx)
  return {
    secret: SECRET_NAME,
    current: versionWith(secret, 'AWSCURRENT') ?? '',
    previous: versionWith(secret, 'AWSPREVIOUS') ?? '',
    preview: await previewAt(ctx, 'AWSCURRENT'),
    via,
  }
}

// The article's manual rotation: the new value becomes AWSCURRENT and
// Secrets Manager moves the old one to AWSPREVIOUS by itself.
export async function rotateByHand(ctx: PartContext, value: string): Promise<RotationResult> {
  secretValueFrom(value)
  await liveSecret(ctx)
  await ctx.aws.secrets.send(
    new PutSecretValueCommand({ SecretId: SECRET_NAME, SecretString: value }),
  )
  return result(ctx, 'put-secret-value')
}

// A leftover AWSPENDING (from a rotation that died half-way) would make the
// next one ambiguous, so it is taken off before a new rotation starts.
async function clearPending(
  ctx: PartContext,
  secret: DescribeSecretResponse,
  keep?: string,
): Promise<void> {
  for (const [id, stages] of Object.entries(secret.VersionIdsToStages ?? {})) {
    if (id === keep || !stages.includes('AWSPENDING')) continue
    await ctx.aws.secrets.send(
      new UpdateSecretVersionStageCommand({
        SecretId: SECRET_NAME,
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: id,
      }),
    )
  }
}

// MiniStack's RotateSecret never calls a Lambda, so the kit calls the four
// steps itself, in order, exactly as Secrets Manager would.
async function runStepsHere(ctx: PartContext, arn: string, token: string): Promise<void> {
  for (const step of STEPS) {
    const answer = await ctx.aws.lambda.send(
      new InvokeCommand({
        FunctionName: ROTATION_FUNCTION_NAME,
        Payload: Buffer.from(
          JSON.stringify({ SecretId: arn, ClientRequestToken: token, Step: step }),
        ),
      }),
    )
    if (answer.FunctionError) {
      const body = JSON.parse(Buffer.from(answer.Payload ?? []).toString() || '{}')
      throw new Error(`${step} failed: ${body.errorMessage ?? answer.FunctionError}`)
    }
  }
}

// A full rotation through rotate-secret. LocalStack and AWS run the steps
// from RotateSecret; LocalStack logs a failing step only at debug level and
// still answers success, so the outcome is always checked on the secret.
export async function rotateWithLambda(
  ctx: PartContext,
  token: string = randomUUID(),
): Promise<RotationResult> {
  const secret = await liveSecret(ctx)
  const rotation = await getConfiguration(ctx.aws.lambda, ROTATION_FUNCTION_NAME)
  if (!rotation) {
    throw new ConvergeError(
      `function ${ROTATION_FUNCTION_NAME}`,
      'is missing: run kit apply --part 7 first',
    )
  }
  const before = currentVersionOf(secret)
  await clearPending(ctx, secret, token)

  const viaEmulator = ctx.emulator.name !== 'ministack'
  let failure: string | undefined
  try {
    if (viaEmulator) {
      await ctx.aws.secrets.send(
        new RotateSecretCommand({
          SecretId: SECRET_NAME,
          ClientRequestToken: token,
          RotationLambdaARN: rotation.FunctionArn,
          RotationRules: { AutomaticallyAfterDays: 30 },
          RotateImmediately: true,
        }),
      )
    } else {
      await runStepsHere(ctx, secret.ARN!, token)
    }
  } catch (error) {
    failure = (error as Error).message
  }

  const after = await liveSecret(ctx)
  const moved = currentVersionOf(after) === token
  if (!failure && moved && !versionWith(after, 'AWSPENDING')) {
    return result(ctx, viaEmulator ? 'rotate-secret (RotateSecret)' : 'rotate-secret (kit)')
  }

  // Leave the secret as it was: AWSCURRENT where it stood, no AWSPENDING.
  await clearPending(ctx, after)
  const why =
    failure ?? (moved ? 'an AWSPENDING version was left behind' : 'AWSCURRENT did not move')
  throw new ConvergeError(
    `secret ${SECRET_NAME}`,
    `rotation ${token} failed (${why}); AWSCURRENT stays ${currentVersionOf(after) ?? before}`,
  )
}

// AWSCURRENT back to the AWSPREVIOUS version; the version it leaves becomes
// AWSPREVIOUS in turn, so a second rollback undoes the first.
export async function rollBack(ctx: PartContext): Promise<RotationResult> {
  const secret = await liveSecret(ctx)
  const current = versionWith(secret, 'AWSCURRENT')
  const previous = versionWith(secret, 'AWSPREVIOUS')
  if (!previous) {
    throw new ConvergeError(
      `secret ${SECRET_NAME}`,
      'has no AWSPREVIOUS version to roll back to: rotate it first',
    )
  }
  await ctx.aws.secrets.send(
    new UpdateSecretVersionStageCommand({
      SecretId: SECRET_NAME,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: previous,
      RemoveFromVersionId: current,
    }),
  )
  return result(ctx, 'rollback')
}
