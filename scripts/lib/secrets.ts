// A secret bound to the kit's key. Its value belongs to the reader once it
// exists: the kit writes the checkpoint value only when it creates the secret,
// or when asked to put it back, and then always as a new version.

import {
  CreateSecretCommand,
  type DescribeSecretResponse,
  DescribeSecretCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import type { KeyMetadata } from '@aws-sdk/client-kms'
import { ConvergeError, isAwsError } from './errors.js'

export interface SecretSpec {
  name: string
  description: string
  kmsKeyId: string // the alias, as the article binds it
  value: string
  tags: Record<string, string>
}

export interface SecretResult {
  outcome: 'created' | 'exists' | 'restored' | 'updated'
  changed: string[] // restored, key, value
  secret: DescribeSecretResponse
}

export async function describeSecret(
  secrets: SecretsManagerClient,
  name: string,
): Promise<DescribeSecretResponse | undefined> {
  try {
    return await secrets.send(new DescribeSecretCommand({ SecretId: name }))
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined
    throw error
  }
}

// A secret counts as bound to the key whichever of its four names it was
// given: the alias name or ARN, the key id or ARN.
export function isBoundTo(kmsKeyId: string | undefined, alias: string, key: KeyMetadata): boolean {
  if (!kmsKeyId) return false
  const aliasArn = key.Arn ? key.Arn.replace(/:key\/.*$/, `:${alias}`) : undefined
  return [alias, aliasArn, key.KeyId, key.Arn].includes(kmsKeyId)
}

// The version holding a stage label (AWSCURRENT, AWSPREVIOUS, AWSPENDING).
export function versionWith(
  secret: DescribeSecretResponse | undefined,
  stage: string,
): string | undefined {
  const stages = secret?.VersionIdsToStages ?? {}
  return Object.keys(stages).find((id) => stages[id]?.includes(stage))
}

export function currentVersionOf(secret: DescribeSecretResponse | undefined): string | undefined {
  return versionWith(secret, 'AWSCURRENT')
}

async function create(secrets: SecretsManagerClient, spec: SecretSpec): Promise<boolean> {
  try {
    await secrets.send(
      new CreateSecretCommand({
        Name: spec.name,
        Description: spec.description,
        KmsKeyId: spec.kmsKeyId,
        SecretString: spec.value,
        Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    )
    return true
  } catch (error) {
    // Another run created it first: converge on theirs.
    if (isAwsError(error, 'ResourceExistsException')) return false
    throw error
  }
}

export async function ensureSecret(
  secrets: SecretsManagerClient,
  spec: SecretSpec,
  key: KeyMetadata,
  options: { putValue: boolean },
): Promise<SecretResult> {
  const changed: string[] = []
  let found = await describeSecret(secrets, spec.name)

  // Deleted with a recovery window: the data is still there, so bring it back.
  if (found?.DeletedDate) {
    await secrets.send(new RestoreSecretCommand({ SecretId: spec.name }))
    changed.push('restored')
    found = await describeSecret(secrets, spec.name)
  }

  if (!found) {
    if (await create(secrets, spec)) {
      return { outcome: 'created', changed, secret: (await describeSecret(secrets, spec.name))! }
    }
    found = await describeSecret(secrets, spec.name)
    if (!found)
      throw new ConvergeError(
        `secret ${spec.name}`,
        'exists and does not: check the emulator log and rerun',
      )
  }

  if (!isBoundTo(found.KmsKeyId, spec.kmsKeyId, key)) {
    await secrets.send(new UpdateSecretCommand({ SecretId: spec.name, KmsKeyId: spec.kmsKeyId }))
    changed.push('key')
  }

  if (options.putValue) {
    await secrets.send(new PutSecretValueCommand({ SecretId: spec.name, SecretString: spec.value }))
    changed.push('value')
  }

  if (changed.length === 0) return { outcome: 'exists', changed, secret: found }
  const outcome = changed.length === 1 && changed[0] === 'restored' ? 'restored' : 'updated'
  return { outcome, changed, secret: (await describeSecret(secrets, spec.name))! }
}
