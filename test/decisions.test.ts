import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { FunctionConfiguration } from '@aws-sdk/client-lambda'
import { type FunctionSpec, configDrift } from '../scripts/lib/lambda.js'
import { currentVersionOf, isBoundTo } from '../scripts/lib/secrets.js'
import { findPart, planFor } from '../scripts/parts/index.js'
import { CHECKPOINT_VALUE, secretValueFrom } from '../scripts/parts/part-07/index.js'
import { BadInputError } from '../scripts/lib/errors.js'
import type { Part } from '../scripts/parts/part.js'

const spec = {
  name: 'use-secret',
  runtime: 'nodejs22.x',
  handler: 'index.handler',
  timeout: 10,
  role: 'arn:aws:iam::000000000000:role/lambda-role',
  environment: { SECRET_ID: 'third-party/api-key' },
} as unknown as FunctionSpec
const live: FunctionConfiguration = {
  Runtime: 'nodejs22.x',
  Handler: 'index.handler',
  Timeout: 10,
  Role: spec.role,
  Environment: { Variables: { SECRET_ID: 'third-party/api-key' } },
}

test('configDrift finds nothing when the function matches its spec', () => {
  assert.equal(configDrift(live, spec), [])
})

test('configDrift names each drifted setting', () => {
  assert.equal(configDrift({ ...live, Runtime: 'nodejs20.x', Timeout: 3 }, spec), [
    'runtime',
    'timeout',
  ])
  assert.equal(configDrift({ ...live, Handler: 'main.handler' }, spec), ['handler'])
  assert.equal(configDrift({ ...live, Environment: { Variables: { SECRET_ID: 'other' } } }, spec), [
    'environment',
  ])
  assert.equal(
    configDrift(
      { ...live, Environment: { Variables: { SECRET_ID: 'third-party/api-key', X: '1' } } },
      spec,
    ),
    ['environment'],
  )
  assert.equal(configDrift({ ...live, Environment: undefined }, spec), ['environment'])
})

const key = { KeyId: 'k-1', Arn: 'arn:aws:kms:us-east-1:000000000000:key/k-1' }

test('isBoundTo accepts the alias, the alias ARN, the key id and the key ARN', () => {
  for (const id of [
    'alias/third-party-secrets',
    'arn:aws:kms:us-east-1:000000000000:alias/third-party-secrets',
    'k-1',
    'arn:aws:kms:us-east-1:000000000000:key/k-1',
  ]) {
    assert.ok(isBoundTo(id, 'alias/third-party-secrets', key), id)
  }
})

test('isBoundTo refuses another key, another alias or no key', () => {
  for (const id of ['k-2', 'alias/aws/secretsmanager', 'alias/other', undefined]) {
    assert.not.ok(isBoundTo(id, 'alias/third-party-secrets', key), String(id))
  }
})

test('currentVersionOf finds the version holding AWSCURRENT', () => {
  assert.is(
    currentVersionOf({
      VersionIdsToStages: { a: ['AWSPREVIOUS'], b: ['AWSCURRENT', 'AWSPENDING'] },
    }),
    'b',
  )
  assert.is(currentVersionOf({ VersionIdsToStages: {} }), undefined)
})

test('secretValueFrom takes a JSON object and refuses anything else with exit code 2', () => {
  assert.is(secretValueFrom(undefined), CHECKPOINT_VALUE)
  assert.is(
    secretValueFrom('{"api_key":"sk_live_abcdefghijkl"}'),
    '{"api_key":"sk_live_abcdefghijkl"}',
  )
  for (const raw of ['sk_live_abc', '[1,2]', '"text"', '42', '{"api_key":"sk_live_abc']) {
    assert.throws(
      () => secretValueFrom(raw),
      (error: Error) =>
        error instanceof BadInputError && error.exitCode === 2 && !error.message.includes(raw),
    )
  }
})

test('findPart knows part 7 and refuses an unknown part with exit code 2', () => {
  assert.is(findPart('7').number, 7)
  assert.throws(
    () => findPart('9'),
    (error: Error) => error instanceof BadInputError && /unknown part "9"/.test(error.message),
  )
  assert.throws(
    () => findPart('seven'),
    (error: Error) => error instanceof BadInputError,
  )
})

test('planFor applies the parts a part needs first, each once', () => {
  const fake = (number: number, needs: number[]) => ({ number, needs }) as unknown as Part
  const part7 = findPart(7)
  assert.equal(
    planFor(part7).map((part) => part.number),
    [7],
  )
  // A part that needs 7 gets 7 first; the registry is not changed.
  const later = fake(8, [7])
  assert.equal(
    planFor(later).map((part) => part.number),
    [7, 8],
  )
})

test.run()
