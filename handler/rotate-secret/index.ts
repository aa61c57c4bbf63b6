// rotate-secret: a rotation Lambda that follows Secrets Manager's four-step
// contract for third-party/api-key. LocalStack and AWS call it through
// RotateSecret; on MiniStack, whose RotateSecret never calls a Lambda,
// `kit rotate` calls the same four steps itself.
//
// Each step can run more than once for the same ClientRequestToken (AWS
// retries, and so may a reader) and must leave the same result.

import {
  type DescribeSecretResponse,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager'
import { newApiKeyLike, problemWithPending } from './api-key.js'

const secrets = new SecretsManagerClient({})

export interface RotationEvent {
  SecretId: string
  ClientRequestToken: string
  Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret'
}

// Log lines name the step, the secret and the version: never a value.
const log = (event: RotationEvent, message: string) =>
  console.log(`${event.Step} ${event.SecretId} version ${event.ClientRequestToken}: ${message}`)

function currentOf(secret: DescribeSecretResponse): string | undefined {
  const stages = secret.VersionIdsToStages ?? {}
  return Object.keys(stages).find((id) => stages[id]?.includes('AWSCURRENT'))
}

async function valueAt(secretId: string, stage: string, versionId?: string) {
  const found = await secrets.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, VersionId: versionId }),
  )
  return found.SecretString ?? ''
}

// A new key of the same shape as the current one, stored as AWSPENDING under
// the token. A second call finds it there and leaves it alone.
async function createSecret(event: RotationEvent): Promise<void> {
  try {
    await valueAt(event.SecretId, 'AWSPENDING', event.ClientRequestToken)
    log(event, 'pending version already there')
    return
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error
  }

  const current = JSON.parse(await valueAt(event.SecretId, 'AWSCURRENT'))
  const next = { ...current, api_key: newApiKeyLike(String(current.api_key ?? '')) }
  await secrets.send(
    new PutSecretValueCommand({
      SecretId: event.SecretId,
      ClientRequestToken: event.ClientRequestToken,
      SecretString: JSON.stringify(next),
      VersionStages: ['AWSPENDING'],
    }),
  )
  log(event, 'pending version created')
}

// Where a real third party would be told about the new key. The series' API
// is a stand-in, so there is nothing to call; the step still exists so the
// contract reads the same as in production.
async function setSecret(event: RotationEvent): Promise<void> {
  log(event, 'nothing to register with the third party in this local setup')
}

// The pending key must be usable before it goes live: here, that it has the
// expected shape and differs from the current one.
async function testSecret(event: RotationEvent): Promise<void> {
  const pending = await valueAt(event.SecretId, 'AWSPENDING', event.ClientRequestToken)
  const current = await valueAt(event.SecretId, 'AWSCURRENT')
  const problem = problemWithPending(pending, current)
  if (problem)
    throw new Error(`testSecret failed for version ${event.ClientRequestToken}: ${problem}`)
  log(event, 'pending version passed its test')
}

// AWSCURRENT moves to the pending version (the old one becomes AWSPREVIOUS),
// then AWSPENDING is taken off so no rotation looks half-done.
async function finishSecret(event: RotationEvent, secret: DescribeSecretResponse): Promise<void> {
  const current = currentOf(secret)
  if (current !== event.ClientRequestToken) {
    await secrets.send(
      new UpdateSecretVersionStageCommand({
        SecretId: event.SecretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: event.ClientRequestToken,
        RemoveFromVersionId: current,
      }),
    )
  }
  if (secret.VersionIdsToStages?.[event.ClientRequestToken]?.includes('AWSPENDING')) {
    await secrets.send(
      new UpdateSecretVersionStageCommand({
        SecretId: event.SecretId,
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: event.ClientRequestToken,
      }),
    )
  }
  log(event, `AWSCURRENT moved from ${current} to the new version`)
}

export async function handler(event: RotationEvent): Promise<void> {
  const secret = await secrets.send(new DescribeSecretCommand({ SecretId: event.SecretId }))
  const stages = secret.VersionIdsToStages?.[event.ClientRequestToken]

  // Already live: a retried finishSecret, or a token reused by mistake.
  if (stages?.includes('AWSCURRENT') && !stages.includes('AWSPENDING')) {
    log(event, 'already AWSCURRENT, nothing to do')
    return
  }
  if (event.Step !== 'createSecret' && !stages?.includes('AWSPENDING')) {
    throw new Error(
      `${event.Step}: version ${event.ClientRequestToken} is not AWSPENDING on ${event.SecretId}`,
    )
  }

  switch (event.Step) {
    case 'createSecret':
      return createSecret(event)
    case 'setSecret':
      return setSecret(event)
    case 'testSecret':
      return testSecret(event)
    case 'finishSecret':
      return finishSecret(event, secret)
    default:
      throw new Error(`unknown rotation step ${String((event as { Step?: unknown }).Step)}`)
  }
}
