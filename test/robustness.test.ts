// Part 7 under pressure: eight runs at once, an emulator that is not there
// yet (or at all), and input the kit must refuse before it changes anything.

import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ListTagsCommand } from '@aws-sdk/client-lambda'
import { ListResourceTagsCommand } from '@aws-sdk/client-kms'
import { freePort, startMiniStack } from '../scripts/emulator.js'
import {
  HOOK,
  type Harness,
  SECRET_KEYS,
  leakedSecrets,
  run,
  startHarness,
} from './support/emulator.js'
import { enabledKeys, part7State } from './support/state.js'

const robust = suite<{ h: Harness }>('part 7 robustness')
const TYPO_VALUE = '{"api_key":"sk_live_TypoedValue_3kD8pL2vQz"'
SECRET_KEYS.add('sk_live_TypoedValue_3kD8pL2vQz')

robust.before(async (context) => {
  context.h = await startHarness({ hooks: false })
})
robust.after(async ({ h }) => h?.stop())
robust.before.each(async ({ h }) => h.reset())

async function nothingCreated(h: Harness) {
  const state = await part7State(h)
  assert.equal(state.keys, [])
  assert.is(state.aliasTarget, undefined)
  assert.is(state.secret, undefined)
  assert.is(state.fn, undefined)
}

robust(
  'eight runs at once on an empty emulator end with one of everything, all exiting 0',
  async ({ h }) => {
    const runs = await Promise.all(Array.from({ length: 8 }, () => h.hook()))
    runs.forEach((result, index) => assert.is(result.code, 0, `run ${index}: ${result.stderr}`))

    const state = await part7State(h)
    assert.is(enabledKeys(state).length, 1)
    assert.is(state.key?.KeyState, 'Enabled')
    assert.ok(state.secret?.ARN)
    assert.is(state.fn?.State, 'Active')
    // Keys that lost the race are the kit's own, tagged, and on their way out.
    for (const key of state.keys.filter((candidate) => candidate.KeyId !== state.aliasTarget)) {
      assert.is(key.KeyState, 'PendingDeletion')
    }
    assert.is((await status(h)).state, 'in sync')
  },
)

async function status(h: Harness) {
  const result = await h.kit(['status', '--json'])
  return JSON.parse(result.stdout).parts[0] as { state: string }
}

robust('what the kit creates is tagged, so that an orphan can be found', async ({ h }) => {
  assert.is((await h.hook()).code, 0)
  const state = await part7State(h)
  const keyTags = await h.kms.send(new ListResourceTagsCommand({ KeyId: state.key!.KeyId }))
  assert.ok(keyTags.Tags?.some((tag) => tag.TagKey === 'kit:part' && tag.TagValue === '7'))
  assert.ok(state.secret?.Tags?.some((tag) => tag.Key === 'kit:part' && tag.Value === '7'))
  const fnTags = await h.lambda.send(new ListTagsCommand({ Resource: state.fn!.FunctionArn }))
  assert.is(fnTags.Tags?.['kit:part'], '7')
})

robust(
  'an emulator that never answers: bounded retries, then exit 1 naming the endpoint',
  async ({ h }) => {
    const port = await freePort()
    const started = Date.now()
    const result = await h.hook({
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      KIT_WAIT_SECONDS: '2',
    })
    assert.is(result.code, 1)
    assert.match(
      result.stderr,
      new RegExp(`no emulator answered at http://127\\.0\\.0\\.1:${port} within 2 s`),
    )
    assert.is(result.stderr.trim().split('\n').length, 1)
    assert.ok(Date.now() - started < 20_000, 'the wait is bounded')
  },
)

robust('an emulator that is not up yet: the run waits for it, then succeeds', async ({ h }) => {
  const port = await freePort()
  const early = h.hook({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, KIT_WAIT_SECONDS: '45' })
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const late = await startMiniStack({ port, hooks: false })
  try {
    const result = await early
    assert.is(result.code, 0, result.stderr)
    assert.match(result.stdout, /ready part 7/)
  } finally {
    await late.stop()
  }
})

const refusals: [string, string[], Record<string, string>, RegExp][] = [
  ['an unknown part', ['apply', '--part', '9'], {}, /unknown part "9": the kit knows part 7/],
  ['an unknown command', ['deploy'], {}, /unknown command "deploy"/],
  [
    'an unknown option',
    ['apply', '--prat', '7'],
    {},
    /Unknown option '--prat'.*try kit apply --help/,
  ],
  [
    'a malformed AWS_ENDPOINT_URL',
    ['apply'],
    { AWS_ENDPOINT_URL: 'localhost:4566' },
    /must start with http/,
  ],
  [
    'a secret value that is not JSON',
    ['apply', '--secret-value', TYPO_VALUE],
    {},
    /not a JSON object/,
  ],
  [
    'an endpoint that is not local',
    ['apply'],
    { AWS_ENDPOINT_URL: 'https://secretsmanager.us-east-1.amazonaws.com' },
    /not a local emulator; pass --allow-remote/,
  ],
]

for (const [what, args, env, message] of refusals) {
  robust(`${what}: a one-line error, exit code 2, nothing created`, async ({ h }) => {
    const result = await h.kit(args, env)
    assert.is(result.code, 2, result.stderr)
    assert.match(result.stderr, message)
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr)
    assert.is(result.stdout, '')
    await nothingCreated(h)
  })
}

robust('the hook passes a refusal on: exit code 2 from the hook too', async ({ h }) => {
  const result = await run('sh', [HOOK], { ...h.env, AWS_ENDPOINT_URL: 'ftp://localhost' })
  assert.is(result.code, 2)
  await nothingCreated(h)
})

robust('no output of this suite, error paths included, contains a secret value', async ({ h }) => {
  await h.stop()
  assert.equal(leakedSecrets(), [])
})

robust.run()
