// Part 7's point: a rotated secret goes live in use-secret without a redeploy,
// and the previous version stays one call away. On a real MiniStack, through
// the kit's commands as a reader runs them.

import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { type Harness, SECRET_KEYS, leakedSecrets, startHarness } from './support/emulator.js'
import {
  currentVersion,
  invokeUseSecret,
  part7State,
  secretValue,
  status,
} from './support/state.js'

const rotation = suite<{ h: Harness }>('part 7 rotation')
const ROTATED = '{"api_key":"sk_live_RotatedKey_9zX4kQpTvN8wMb2L"}'
SECRET_KEYS.add('sk_live_RotatedKey_9zX4kQpTvN8wMb2L')

rotation.before(async (context) => {
  context.h = await startHarness({ hooks: false })
})
rotation.after(async ({ h }) => h?.stop())
rotation.before.each(async ({ h }) => {
  await h.reset()
  assert.is((await h.hook()).code, 0)
})

// Every value a rotation made joins the scan for leaks.
async function remember(h: Harness) {
  for (const stage of ['AWSCURRENT', 'AWSPREVIOUS']) {
    const value = await secretValue(h, stage).catch(() => undefined)
    if (value) SECRET_KEYS.add(JSON.parse(value).api_key)
  }
}

async function deployed(h: Harness) {
  const { fn } = await part7State(h)
  return { sha: fn?.CodeSha256, modified: fn?.LastModified }
}

rotation(
  'rotate --value goes live in use-secret with no redeploy; the old version becomes AWSPREVIOUS',
  async ({ h }) => {
    const before = await part7State(h)
    const code = await deployed(h)
    const rotated = await h.kit(['rotate', '--value', ROTATED, '--json'])
    assert.is(rotated.code, 0, rotated.stderr)
    const outcome = JSON.parse(rotated.stdout)
    assert.is(outcome.previous, currentVersion(before.secret))
    assert.is(outcome.preview, 'sk_l...Mb2L')

    const { body } = await invokeUseSecret(h)
    assert.is(body.version_id, outcome.current)
    assert.is(body.api_key_preview, 'sk_l...Mb2L')
    assert.equal(await deployed(h), code)
  },
)

rotation(
  'rotate runs the four-step Lambda: new AWSCURRENT, old AWSPREVIOUS, no AWSPENDING, no redeploy',
  async ({ h }) => {
    const before = await part7State(h)
    const code = await deployed(h)
    const rotated = await h.kit(['rotate', '--json'])
    assert.is(rotated.code, 0, rotated.stderr)
    const outcome = JSON.parse(rotated.stdout)
    await remember(h)

    const after = await part7State(h)
    assert.is(currentVersion(after.secret), outcome.current)
    assert.equal(after.secret?.VersionIdsToStages?.[currentVersion(before.secret)!], [
      'AWSPREVIOUS',
    ])
    assert.not.ok(
      Object.values(after.secret?.VersionIdsToStages ?? {})
        .flat()
        .includes('AWSPENDING'),
    )
    assert.match(JSON.parse((await secretValue(h))!).api_key, /^sk_test_[A-Za-z0-9]{24}$/)

    const { body } = await invokeUseSecret(h)
    assert.is(body.version_id, outcome.current)
    assert.is(body.api_key_preview, outcome.preview)
    assert.is.not(body.api_key_preview, 'sk_t...p7dc')
    assert.equal(await deployed(h), code)
    assert.is((await status(h)).state, 'in sync') // the marker follows the rotation
  },
)

async function step(h: Harness, Step: string, token: string) {
  const { ARN } = (await part7State(h)).secret!
  const answer = await h.lambda.send(
    new InvokeCommand({
      FunctionName: 'rotate-secret',
      Payload: Buffer.from(JSON.stringify({ SecretId: ARN, ClientRequestToken: token, Step })),
    }),
  )
  assert.is(answer.FunctionError, undefined, Buffer.from(answer.Payload ?? []).toString())
}

rotation(
  'each rotation step can run twice for the same token with the same result',
  async ({ h }) => {
    const token = '11111111-2222-4333-8444-555555555555'
    const before = currentVersion((await part7State(h)).secret)

    await step(h, 'createSecret', token)
    const pending = await secretValue(h, 'AWSPENDING')
    await step(h, 'createSecret', token)
    assert.is(await secretValue(h, 'AWSPENDING'), pending)
    SECRET_KEYS.add(JSON.parse(pending!).api_key)

    for (const name of [
      'setSecret',
      'setSecret',
      'testSecret',
      'testSecret',
      'finishSecret',
      'finishSecret',
    ]) {
      await step(h, name, token)
    }
    const after = await part7State(h)
    assert.is(currentVersion(after.secret), token)
    assert.equal(after.secret?.VersionIdsToStages?.[before!], ['AWSPREVIOUS'])
    assert.equal(after.secret?.VersionIdsToStages?.[token], ['AWSCURRENT'])
    assert.is(await secretValue(h), pending)
  },
)

rotation(
  'a failing testSecret leaves AWSCURRENT where it was, clears AWSPENDING and exits 1',
  async ({ h }) => {
    const before = await part7State(h)
    const token = '99999999-8888-4777-8666-555555555555'
    await h.secrets.send(
      new PutSecretValueCommand({
        SecretId: 'third-party/api-key',
        ClientRequestToken: token,
        SecretString: '{"api_key":"not-a-key"}',
        VersionStages: ['AWSPENDING'],
      }),
    )
    const failed = await h.kit(['rotate', '--token', token])
    assert.is(failed.code, 1)
    assert.match(failed.stderr, /testSecret failed.*not of the form sk_/)
    assert.match(failed.stderr, new RegExp(`AWSCURRENT stays ${currentVersion(before.secret)}`))

    const after = await part7State(h)
    assert.is(currentVersion(after.secret), currentVersion(before.secret))
    assert.not.ok(
      Object.values(after.secret?.VersionIdsToStages ?? {})
        .flat()
        .includes('AWSPENDING'),
    )
    assert.is((await invokeUseSecret(h)).body.api_key_preview, 'sk_t...p7dc')
  },
)

rotation('rollback brings the old version and its preview back', async ({ h }) => {
  const original = currentVersion((await part7State(h)).secret)
  assert.is((await h.kit(['rotate', '--value', ROTATED])).code, 0)
  const back = await h.kit(['rollback', '--json'])
  assert.is(back.code, 0, back.stderr)
  assert.is(JSON.parse(back.stdout).current, original)

  const { body } = await invokeUseSecret(h)
  assert.is(body.version_id, original)
  assert.is(body.api_key_preview, 'sk_t...p7dc')
})

rotation('rollback with no previous version says so and exits 1', async ({ h }) => {
  const result = await h.kit(['rollback'])
  assert.is(result.code, 1)
  assert.match(result.stderr, /no AWSPREVIOUS version to roll back to: rotate it first/)
})

rotation(
  'with a cache time-to-live, a rotation shows once the time-to-live has passed',
  async ({ h }) => {
    // Four seconds: long enough for a rotation to land inside the window on a
    // loaded machine, short enough to wait out.
    assert.is((await h.kit(['apply', '--part', '7', '--cache-ttl', '4'])).code, 0)
    assert.is((await part7State(h)).fn?.Environment?.Variables?.SECRET_CACHE_TTL_SECONDS, '4')

    const first = (await invokeUseSecret(h)).body
    const cachedBy = Date.now() // the worker cached the value before it answered
    assert.is(first.cache, 'miss')
    const rotated = JSON.parse((await h.kit(['rotate', '--value', ROTATED, '--json'])).stdout)
    const soon = (await invokeUseSecret(h)).body
    assert.is(soon.cache, 'hit')
    assert.is(soon.version_id, first.version_id)

    await new Promise((resolve) => setTimeout(resolve, cachedBy + 4100 - Date.now()))
    const later = (await invokeUseSecret(h)).body
    assert.is(later.cache, 'miss')
    assert.is(later.version_id, rotated.current)
    assert.is(later.api_key_preview, 'sk_l...Mb2L')
  },
)

rotation(
  'without a time-to-live use-secret fetches every time, as the article does',
  async ({ h }) => {
    const first = (await invokeUseSecret(h)).body
    assert.is(first.cache, undefined)
    const rotated = JSON.parse((await h.kit(['rotate', '--value', ROTATED, '--json'])).stdout)
    assert.is((await invokeUseSecret(h)).body.version_id, rotated.current)
  },
)

rotation(
  'kms encrypt and decrypt round-trip with the kit key; the key is found from the ciphertext',
  async ({ h }) => {
    const sealed = await h.kit(['kms', 'encrypt', '--text', 'super-secret-password'])
    assert.is(sealed.code, 0, sealed.stderr)
    const opened = await h.kit(['kms', 'decrypt', '--text', sealed.stdout.trim()])
    assert.is(opened.code, 0, opened.stderr)
    assert.is(opened.stdout, 'super-secret-password')
  },
)

rotation(
  'envelope encryption round-trips 10 KB and a tampered envelope fails clearly',
  async ({ h }) => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-envelope-'))
    const payload = Buffer.alloc(10_000, 'payload over the four-kilobyte limit. ')
    writeFileSync(join(dir, 'in.txt'), payload)
    const sealed = await h.kit([
      'kms',
      'encrypt',
      '--in',
      join(dir, 'in.txt'),
      '--out',
      join(dir, 'in.env'),
    ])
    assert.is(sealed.code, 0, sealed.stderr)
    assert.match(sealed.stderr, /using envelope encryption/)
    const envelope = JSON.parse(readFileSync(join(dir, 'in.env'), 'utf8'))
    assert.is(envelope.format, 'kit-envelope/1')

    const opened = await h.kit([
      'kms',
      'decrypt',
      '--in',
      join(dir, 'in.env'),
      '--out',
      join(dir, 'out.txt'),
    ])
    assert.is(opened.code, 0, opened.stderr)
    assert.equal(readFileSync(join(dir, 'out.txt')), payload)

    const bytes = Buffer.from(envelope.ciphertext, 'base64')
    bytes[5000] ^= 0x01
    writeFileSync(
      join(dir, 'bad.env'),
      JSON.stringify({ ...envelope, ciphertext: bytes.toString('base64') }),
    )
    const tampered = await h.kit([
      'kms',
      'decrypt',
      '--in',
      join(dir, 'bad.env'),
      '--out',
      join(dir, 'bad.txt'),
    ])
    assert.is(tampered.code, 2)
    assert.match(tampered.stderr.trim(), /^kit kms: the envelope failed its integrity check/)
    assert.not.ok(existsSync(join(dir, 'bad.txt')))
  },
)

rotation('a tampered direct ciphertext fails with a clear error', async ({ h }) => {
  const sealed = (await h.kit(['kms', 'encrypt', '--text', 'hello'])).stdout.trim()
  const bytes = Buffer.from(sealed, 'base64')
  bytes[3] ^= 0x01 // the emulator checks the header; AWS checks every byte
  const tampered = await h.kit(['kms', 'decrypt', '--text', bytes.toString('base64')])
  assert.is(tampered.code, 2)
  assert.match(tampered.stderr, /KMS cannot decrypt this ciphertext/)
})

rotation(
  "reset removes Part 7 as the article's cleanup does, and the next run brings it back",
  async ({ h }) => {
    const before = await part7State(h)
    const reset = await h.kit(['reset', '--part', '7'])
    assert.is(reset.code, 0, reset.stderr)

    const gone = await part7State(h)
    assert.is(gone.secret, undefined)
    assert.is(gone.aliasTarget, undefined)
    assert.is(gone.fn, undefined)
    assert.is(gone.keys.find((key) => key.KeyId === before.key!.KeyId)?.KeyState, 'PendingDeletion')
    assert.not.ok(existsSync(join(h.checkpoints, 'part-07.json')))

    assert.is((await h.hook()).code, 0)
    assert.is((await status(h)).state, 'in sync')
    const back = await part7State(h)
    assert.is(back.key?.KeyState, 'Enabled')
    assert.is((await invokeUseSecret(h)).body.api_key_preview, 'sk_t...p7dc')
  },
)

rotation(
  'no output of this suite, rotated values included, contains a secret value',
  async ({ h }) => {
    await h.stop()
    assert.ok(SECRET_KEYS.size >= 3)
    assert.equal(leakedSecrets(), [])
  },
)

rotation.run()
