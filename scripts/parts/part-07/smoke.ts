// The checks a reader runs after boot: read-only, and the same assertions as
// the integration tests, so a green smoke run means the checkpoint holds.

import { InvokeCommand } from '@aws-sdk/client-lambda'
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { previewOf } from '../../../handler/use-secret/preview.js'
import { treatAsSecret } from '../../lib/log.js'
import { currentVersionOf, isBoundTo } from '../../lib/secrets.js'
import type { PartContext, SmokeCheck } from '../part.js'
import { ALIAS, FUNCTION_NAME, ROTATION_FUNCTION_NAME, SECRET_NAME } from './resources.js'
import { readLive } from './state.js'

export async function smoke(ctx: PartContext): Promise<SmokeCheck[]> {
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
}
