// Whatever state a reader leaves Part 7 in, one run of the real hook brings it
// back without losing their data, and status names the drift beforehand.
// Each case starts from an empty MiniStack, applies the checkpoint, then
// breaks it with the SDK the way a reader would.

import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CreateKeyCommand,
  DeleteAliasCommand,
  DisableKeyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms'
import {
  DeleteFunctionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda'
import {
  DeleteSecretCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import { waitUntilReady } from '../scripts/lib/lambda.js'
import { codeSha256, deterministicZip } from '../scripts/lib/zip.js'
import { type Harness, SECRET_KEYS, leakedSecrets, root, startHarness } from './support/emulator.js'
import { currentVersion, enabledKeys, part7State, secretValue, status } from './support/state.js'

const drift = suite<{ h: Harness }>('part 7 drift')
const READER_VALUE = '{"api_key":"sk_live_ReaderOwnKey_7hG2mQ9xWv"}'
SECRET_KEYS.add('sk_live_ReaderOwnKey_7hG2mQ9xWv')

drift.before(async (context) => {
  context.h = await startHarness({ hooks: false })
})
drift.after(async ({ h }) => h?.stop())

// An empty emulator with Part 7 applied once, as after `docker compose up`.
drift.before.each(async ({ h }) => {
  await h.reset()
  const first = await h.hook()
  assert.is(first.code, 0, first.stderr)
})

async function converge(h: Harness) {
  const again = await h.hook()
  assert.is(again.code, 0, again.stderr)
  assert.is((await status(h)).state, 'in sync')
  return again
}

const hasFinding = (
  report: { findings: { resource: string; problem: string }[] },
  resource: RegExp,
  problem: RegExp,
) =>
  report.findings.some(
    (finding) => resource.test(finding.resource) && problem.test(finding.problem),
  )

drift(
  'alias deleted while its key lives: the same key gets the alias back, no second key',
  async ({ h }) => {
    const before = await part7State(h)
    await h.kms.send(new DeleteAliasCommand({ AliasName: 'alias/third-party-secrets' }))
    const report = await status(h)
    assert.is(report.state, 'drifted')
    assert.ok(hasFinding(report, /alias/, /missing/), JSON.stringify(report))

    await converge(h)
    const after = await part7State(h)
    assert.is(after.aliasTarget, before.key!.KeyId)
    assert.is(enabledKeys(after).length, 1)
  },
)

drift('alias pointing to a disabled key: that key is enabled again', async ({ h }) => {
  const before = await part7State(h)
  await h.kms.send(new DisableKeyCommand({ KeyId: before.key!.KeyId }))
  assert.ok(hasFinding(await status(h), /key/, /Disabled/))

  const run = await converge(h)
  assert.match(run.stdout, /key\s+restored/)
  const after = await part7State(h)
  assert.is(after.key?.KeyId, before.key!.KeyId)
  assert.is(after.key?.KeyState, 'Enabled')
})

drift(
  'alias pointing to a key scheduled for deletion: the deletion is cancelled and the key enabled',
  async ({ h }) => {
    const before = await part7State(h)
    await h.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: before.key!.KeyId, PendingWindowInDays: 7 }),
    )
    assert.ok(hasFinding(await status(h), /key/, /PendingDeletion/))

    await converge(h)
    const after = await part7State(h)
    assert.is(after.key?.KeyId, before.key!.KeyId)
    assert.is(after.key?.KeyState, 'Enabled')
    assert.is(after.key?.DeletionDate, undefined)
    assert.is(enabledKeys(after).length, 1)
  },
)

drift("secret deleted with a recovery window: restored with the reader's data", async ({ h }) => {
  await h.secrets.send(
    new PutSecretValueCommand({ SecretId: 'third-party/api-key', SecretString: READER_VALUE }),
  )
  const before = await part7State(h)
  await h.secrets.send(
    new DeleteSecretCommand({ SecretId: 'third-party/api-key', RecoveryWindowInDays: 7 }),
  )
  assert.ok(hasFinding(await status(h), /secret/, /scheduled for deletion/))

  const run = await converge(h)
  assert.match(run.stdout, /secret\s+restored/)
  const after = await part7State(h)
  assert.is(after.secret?.ARN, before.secret!.ARN)
  assert.is(after.secret?.DeletedDate, undefined)
  assert.is(await secretValue(h), READER_VALUE)
})

drift(
  'secret force-deleted without recovery: created again with the checkpoint value',
  async ({ h }) => {
    const before = await part7State(h)
    await h.secrets.send(
      new DeleteSecretCommand({
        SecretId: 'third-party/api-key',
        ForceDeleteWithoutRecovery: true,
      }),
    )
    assert.ok(hasFinding(await status(h), /secret/, /missing/))

    const run = await converge(h)
    assert.match(run.stdout, /secret\s+created/)
    const after = await part7State(h)
    assert.is.not(after.secret?.ARN, before.secret!.ARN)
    assert.is(after.secret?.KmsKeyId, 'alias/third-party-secrets')
    assert.equal(JSON.parse((await secretValue(h))!), {
      api_key: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
    })
  },
)

drift(
  "secret bound to another key: bound back to the kit's key, value and versions untouched",
  async ({ h }) => {
    const before = await part7State(h)
    const other = (await h.kms.send(new CreateKeyCommand({ Description: "a reader's other key" })))
      .KeyMetadata!
    await h.secrets.send(
      new UpdateSecretCommand({ SecretId: 'third-party/api-key', KmsKeyId: other.KeyId }),
    )
    assert.ok(hasFinding(await status(h), /secret/, new RegExp(`bound to ${other.KeyId}`)))

    const run = await converge(h)
    assert.match(run.stdout, /secret\s+updated \(key\)/)
    const after = await part7State(h)
    assert.is(after.secret?.KmsKeyId, 'alias/third-party-secrets')
    assert.equal(after.secret?.VersionIdsToStages, before.secret!.VersionIdsToStages)
  },
)

drift('a value the reader put is kept', async ({ h }) => {
  const put = await h.secrets.send(
    new PutSecretValueCommand({ SecretId: 'third-party/api-key', SecretString: READER_VALUE }),
  )
  assert.ok(hasFinding(await status(h), /secret/, /AWSCURRENT is/))

  await converge(h)
  const after = await part7State(h)
  assert.is(currentVersion(after.secret), put.VersionId)
  assert.is(await secretValue(h), READER_VALUE)
})

drift('--reset-secret-value puts the checkpoint value back as a new version', async ({ h }) => {
  const put = await h.secrets.send(
    new PutSecretValueCommand({ SecretId: 'third-party/api-key', SecretString: READER_VALUE }),
  )
  const reset = await h.kit(['apply', '--part', '7', '--reset-secret-value'])
  assert.is(reset.code, 0, reset.stderr)
  assert.match(reset.stdout, /secret\s+updated \(value\)/)

  const after = await part7State(h)
  assert.is.not(currentVersion(after.secret), put.VersionId)
  assert.equal(after.secret?.VersionIdsToStages?.[put.VersionId!], ['AWSPREVIOUS'])
  assert.equal(JSON.parse((await secretValue(h))!), { api_key: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' })
  assert.is(await secretValue(h, 'AWSPREVIOUS'), READER_VALUE)
})

drift('use-secret deleted: created again', async ({ h }) => {
  await h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'use-secret' }))
  assert.ok(hasFinding(await status(h), /function use-secret/, /missing/))

  const run = await converge(h)
  assert.match(run.stdout, /function\s+created/)
  assert.is((await part7State(h)).fn?.State, 'Active')
})

// A kit folder whose use-secret.zip differs from the project's, as after a
// reader edits handler/use-secret and rebuilds.
function kitWithChangedHandler(): { home: string; sha: string } {
  const home = mkdtempSync(join(tmpdir(), 'kit-changed-'))
  mkdirSync(join(home, 'dist'))
  copyFileSync(join(root, 'package.json'), join(home, 'package.json'))
  copyFileSync(join(root, 'dist', 'kit.mjs'), join(home, 'dist', 'kit.mjs'))
  copyFileSync(join(root, 'dist', 'rotate-secret.zip'), join(home, 'dist', 'rotate-secret.zip'))
  const changed = deterministicZip({
    'index.js': new TextEncoder().encode(
      'exports.handler = async () => ({ api_key_preview: "changed" })\n',
    ),
  })
  writeFileSync(join(home, 'dist', 'use-secret.zip'), changed)
  return { home, sha: codeSha256(changed) }
}

drift(
  "use-secret's source changed: only the code is updated, to the new CodeSha256",
  async ({ h }) => {
    const { home, sha } = kitWithChangedHandler()
    const changed = await h.hook({ KIT_HOME: home, KIT_CHECKPOINTS_DIR: h.checkpoints })
    assert.is(changed.code, 0, changed.stderr)
    assert.match(changed.stdout, /function\s+updated \(code\)/)
    assert.is((await part7State(h)).fn?.CodeSha256, sha)

    const back = await converge(h)
    assert.match(back.stdout, /function\s+updated \(code\)/)
    const project = codeSha256(readFileSync(join(root, 'dist', 'use-secret.zip')))
    assert.is((await part7State(h)).fn?.CodeSha256, project)
  },
)

drift("use-secret's code replaced by hand: the kit's code is put back", async ({ h }) => {
  const other = deterministicZip({
    'index.js': new TextEncoder().encode('exports.handler = async () => 1\n'),
  })
  await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'use-secret', ZipFile: other }))
  await waitUntilReady(h.lambda, 'use-secret')
  assert.ok(hasFinding(await status(h), /function use-secret/, /code differs/))

  await converge(h)
  const project = codeSha256(readFileSync(join(root, 'dist', 'use-secret.zip')))
  assert.is((await part7State(h)).fn?.CodeSha256, project)
})

drift(
  "use-secret's configuration drifted: environment, timeout, runtime and handler are put back",
  async ({ h }) => {
    await h.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'use-secret',
        Environment: { Variables: { SECRET_ID: 'someone/else' } },
        Timeout: 3,
        Runtime: 'nodejs20.x',
        Handler: 'main.handler',
      }),
    )
    await waitUntilReady(h.lambda, 'use-secret')
    const report = await status(h)
    for (const field of ['environment', 'timeout', 'runtime', 'handler']) {
      assert.ok(hasFinding(report, /function use-secret/, new RegExp(`${field} drifted`)), field)
    }

    const run = await converge(h)
    assert.match(run.stdout, /function\s+updated \(runtime, handler, timeout, environment\)/)
    const fn = (await part7State(h)).fn!
    assert.equal([fn.Runtime, fn.Handler, fn.Timeout], ['nodejs22.x', 'index.handler', 10])
    assert.equal(fn.Environment?.Variables, { SECRET_ID: 'third-party/api-key' })
  },
)

drift('nothing changed: no update call at all (LastModified stays)', async ({ h }) => {
  const before = await part7State(h)
  const run = await converge(h)
  assert.match(run.stdout, /function\s+exists/)
  const after = await part7State(h)
  assert.is(after.fn?.LastModified, before.fn!.LastModified)
  assert.is(after.fn?.RevisionId, before.fn!.RevisionId)
})

drift(
  'emulator restarted empty under an old marker: status says stale, the next run rebuilds it',
  async ({ h }) => {
    const old = JSON.parse(readFileSync(join(h.checkpoints, 'part-07.json'), 'utf8'))
    await fetch(`${h.emulator.url}/_ministack/reset`, { method: 'POST' }) // the state, not the marker
    const report = await status(h)
    assert.is(report.state, 'stale')
    assert.is(report.code, 1)

    await converge(h)
    const fresh = JSON.parse(readFileSync(join(h.checkpoints, 'part-07.json'), 'utf8'))
    assert.is.not(fresh.resources.key.id, old.resources.key.id)
    assert.is(fresh.resources.key.id, (await part7State(h)).key?.KeyId)
  },
)

drift('a failed run keeps the old marker and exits non-zero', async ({ h }) => {
  const file = join(h.checkpoints, 'part-07.json')
  const old = readFileSync(file, 'utf8')
  const home = mkdtempSync(join(tmpdir(), 'kit-broken-'))
  mkdirSync(join(home, 'dist'))
  copyFileSync(join(root, 'package.json'), join(home, 'package.json'))
  copyFileSync(join(root, 'dist', 'kit.mjs'), join(home, 'dist', 'kit.mjs')) // no use-secret.zip
  const failed = await h.hook({ KIT_HOME: home })
  assert.is(failed.code, 1)
  assert.match(failed.stderr, /use-secret\.zip is missing: run npm run build/)
  assert.is(readFileSync(file, 'utf8'), old)
})

drift('no output of this suite, error paths included, contains a secret value', async ({ h }) => {
  const bad = await h.kit(['apply', '--part', '9', '--secret-value', READER_VALUE])
  assert.is(bad.code, 2)
  await h.stop()
  assert.equal(leakedSecrets(), [])
})

drift.run()
