// The article's cleanup, done so that the next apply starts clean: the secret
// force-deleted, the alias deleted, the key scheduled for deletion in 7 days
// (the shortest wait KMS allows), both functions deleted.

import { DeleteAliasCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms'
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda'
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager'
import { isAwsError } from '../../lib/errors.js'
import { describeKey, findAliasTarget } from '../../lib/kms.js'
import type { PartContext } from '../part.js'
import { ALIAS, FUNCTION_NAME, ROTATION_FUNCTION_NAME, SECRET_NAME } from './resources.js'

export async function reset(ctx: PartContext): Promise<string[]> {
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
}
