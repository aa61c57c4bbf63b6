// Part 7 end to end on a real MiniStack: its own hook runner applies the
// checkpoint at start, a second run changes nothing, and the smoke checks pass.

import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Harness, HOOK, leakedSecrets, run, startHarness } from './support/emulator.js'
import {
  currentVersion,
  invokeUseSecret,
  part7State,
  secretValue,
  status,
} from './support/state.js'

const part7 = suite<{ h: Harness }>('part 7 on MiniStack')

part7.before(async (context) => {
  context.h = await startHarness({ hooks: true })
})
part7.after(async ({ h }) => h?.stop())

part7("MiniStack's own hook runner ran the Part 7 hook at start", ({ h }) => {
  assert.is(h.emulator.hooksBy, 'ministack')
  const log = readFileSync(h.emulator.logFile, 'utf8')
  assert.match(log, /07-part7-secrets\.sh completed successfully/)
})

part7('the alias points to an Enabled customer-managed key', async ({ h }) => {
  const { key } = await part7State(h)
  assert.is(key?.KeyState, 'Enabled')
  assert.is(key?.KeyManager, 'CUSTOMER')
  assert.is(key?.Description, 'Encryption key for third-party API secrets')
})

part7('the secret is bound to the key and holds the checkpoint JSON', async ({ h }) => {
  const { secret } = await part7State(h)
  assert.is(secret?.KmsKeyId, 'alias/third-party-secrets')
  assert.equal(JSON.parse((await secretValue(h))!), { api_key: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' })
})

part7("use-secret is Active with the kit's settings", async ({ h }) => {
  const { fn } = await part7State(h)
  assert.is(fn?.State, 'Active')
  assert.is(fn?.Runtime, 'nodejs22.x')
  assert.is(fn?.Timeout, 10)
  assert.is(fn?.Role, 'arn:aws:iam::000000000000:role/lambda-role')
  assert.equal(fn?.Environment?.Variables, { SECRET_ID: 'third-party/api-key' })
})

part7(
  'invoking use-secret returns the preview and the AWSCURRENT version, not the value',
  async ({ h }) => {
    const { secret } = await part7State(h)
    const current = currentVersion(secret)
    const { error, text, body } = await invokeUseSecret(h)
    assert.is(error, undefined)
    assert.equal(body, {
      secret_id: 'third-party/api-key',
      version_id: current,
      version_stages: ['AWSCURRENT'],
      api_key_preview: 'sk_t...p7dc',
    })
    assert.not.ok(text.includes('sk_test_4eC39HqLyjWDarjtT1zdp7dc'))
  },
)

part7('the marker records what the hook found, after checking it', async ({ h }) => {
  const { key, secret, fn } = await part7State(h)
  const marker = JSON.parse(readFileSync(join(h.checkpoints, 'part-07.json'), 'utf8'))
  assert.is(marker.part, 7)
  assert.is(marker.emulator.name, 'ministack')
  assert.is(marker.resources.key.id, key!.KeyId)
  assert.is(marker.resources.secret.arn, secret?.ARN)
  assert.is(marker.resources.function.codeSha256, fn?.CodeSha256)
  assert.ok(!Number.isNaN(Date.parse(marker.completedAt)))
})

part7('a second run of the hook changes nothing', async ({ h }) => {
  const before = await part7State(h)
  const second = await h.hook()
  assert.is(second.code, 0, second.stderr)
  assert.match(second.stdout, /key\s+exists/)
  assert.match(second.stdout, /secret\s+exists/)
  assert.match(second.stdout, /function\s+exists/)

  const after = await part7State(h)
  assert.is(after.key?.KeyId, before.key?.KeyId)
  assert.equal(after.keys, before.keys)
  assert.is(after.keys.length, 1)
  assert.equal(after.secret?.VersionIdsToStages, before.secret?.VersionIdsToStages)
  assert.is(after.fn?.CodeSha256, before.fn?.CodeSha256)
  assert.is(after.fn?.LastModified, before.fn?.LastModified)
})

part7('the smoke checks pass against the running emulator', async ({ h }) => {
  const smoke = await h.kit(['smoke'])
  assert.is(smoke.code, 0, smoke.stdout + smoke.stderr)
  assert.match(smoke.stdout, /^6 passed, 0 failed/m)
  assert.match(smoke.stdout, /sk_t\.\.\.p7dc/)
  assert.not.match(smoke.stdout + smoke.stderr, /\u001b\[/) // no colour off a terminal
})

part7('status reports part 7 in sync, and --json says so for scripts', async ({ h }) => {
  const status = await h.kit(['status'])
  assert.is(status.code, 0, status.stdout + status.stderr)
  const json = await h.kit(['status', '--json'])
  assert.is(JSON.parse(json.stdout).parts[0].state, 'in sync')
})

part7(
  'with --json, stdout is the JSON alone and the resource lines go to stderr',
  async ({ h }) => {
    const applied = await h.kit(['apply', '--part', '7', '--json'])
    assert.is(applied.code, 0, applied.stderr)
    assert.is(JSON.parse(applied.stdout)[0].resources.function.name, 'use-secret')
    assert.match(applied.stderr, /function\s+exists/)
    const smoke = JSON.parse((await h.kit(['smoke', '--json'])).stdout)
    assert.equal([smoke.passed, smoke.failed], [6, 0])
  },
)

part7('the hook works when reached through a symbolic link in another folder', async ({ h }) => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'kit-link-'))
  symlinkSync(HOOK, join(elsewhere, '07-part7-secrets.sh'))
  const linked = await run('sh', [join(elsewhere, '07-part7-secrets.sh')], h.env)
  assert.is(linked.code, 0, linked.stderr)
  assert.match(linked.stdout, /ready part 7/)
})

part7(
  'the hook fails with a one-line hint when the kit is not built where KIT_HOME says',
  async ({ h }) => {
    const empty = mkdtempSync(join(tmpdir(), 'kit-home-'))
    const failed = await h.hook({ KIT_HOME: empty })
    assert.is(failed.code, 1)
    assert.match(failed.stderr.trim(), /^\[kit\] part 7: .*dist\/kit\.mjs not found; build it/)
  },
)

part7('nothing the suite ran printed the secret value', async ({ h }) => {
  await h.stop()
  assert.equal(leakedSecrets(), [])
})

part7.run()

// Where the emulator cannot be shown init/ready.d (macOS, or a Linux without
// unprivileged namespaces), the launcher runs the hooks as MiniStack would.
const fallback = suite<{ h: Harness }>('part 7 hooks run by the launcher')

fallback.before(async (context) => {
  context.h = await startHarness({ hooks: true, privateEtc: false })
})
fallback.after(async ({ h }) => h?.stop())

fallback('the launcher ran the Part 7 hook and the checkpoint holds', async ({ h }) => {
  assert.is(h.emulator.hooksBy, 'kit')
  const smoke = await h.kit(['smoke'])
  assert.is(smoke.code, 0, smoke.stdout + smoke.stderr)
  assert.is((await status(h)).state, 'in sync')
})

fallback.run()
