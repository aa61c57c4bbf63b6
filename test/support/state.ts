// Reads Part 7's live state the way a reader would check it with the CLI.

import {
  DescribeKeyCommand,
  type KeyMetadata,
  ListAliasesCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms'
import {
  type FunctionConfiguration,
  GetFunctionCommand,
  InvokeCommand,
} from '@aws-sdk/client-lambda'
import {
  type DescribeSecretResponse,
  DescribeSecretCommand,
  GetSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import type { Harness } from './emulator.js'

export interface Part7State {
  aliasTarget?: string
  key?: KeyMetadata
  keys: KeyMetadata[]
  secret?: DescribeSecretResponse
  fn?: FunctionConfiguration
}

const missing = (error: unknown) => {
  if (['ResourceNotFoundException', 'NotFoundException'].includes((error as Error).name))
    return undefined
  throw error
}

export async function part7State(h: Harness): Promise<Part7State> {
  const aliases = await h.kms.send(new ListAliasesCommand({}))
  const aliasTarget = aliases.Aliases?.find(
    (entry) => entry.AliasName === 'alias/third-party-secrets',
  )?.TargetKeyId
  const keys: KeyMetadata[] = []
  for (const entry of (await h.kms.send(new ListKeysCommand({}))).Keys ?? []) {
    keys.push((await h.kms.send(new DescribeKeyCommand({ KeyId: entry.KeyId }))).KeyMetadata!)
  }
  const secret = await h.secrets
    .send(new DescribeSecretCommand({ SecretId: 'third-party/api-key' }))
    .catch(missing)
  const fn = await h.lambda
    .send(new GetFunctionCommand({ FunctionName: 'use-secret' }))
    .then((found) => found.Configuration, missing)
  return { aliasTarget, key: keys.find((key) => key.KeyId === aliasTarget), keys, secret, fn }
}

export const enabledKeys = (state: Part7State) =>
  state.keys.filter((key) => key.KeyState === 'Enabled')

// The kit's own reading of the AWSCURRENT label, under the tests' shorter name.
export { currentVersionOf as currentVersion } from '../../scripts/lib/secrets.js'

export async function secretValue(h: Harness, stage = 'AWSCURRENT'): Promise<string | undefined> {
  const found = await h.secrets.send(
    new GetSecretValueCommand({ SecretId: 'third-party/api-key', VersionStage: stage }),
  )
  return found.SecretString
}

export async function invokeUseSecret(h: Harness) {
  const answer = await h.lambda.send(
    new InvokeCommand({ FunctionName: 'use-secret', Payload: Buffer.from('{}') }),
  )
  const text = Buffer.from(answer.Payload ?? []).toString()
  return { error: answer.FunctionError, text, body: JSON.parse(text || '{}') }
}

export interface StatusReport {
  state: string
  findings: { resource: string; problem: string }[]
}

export async function status(h: Harness): Promise<StatusReport & { code: number }> {
  const result = await h.kit(['status', '--part', '7', '--json'])
  const report = JSON.parse(result.stdout).parts[0]
  return { code: result.code, state: report.state, findings: report.findings }
}
