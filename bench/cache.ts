// npm run bench:cache: how many GetSecretValue calls use-secret's cache saves,
// and what a call costs with and without it, on one MiniStack.

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { $ } from 'zx'
import { startMiniStack } from '../scripts/emulator.js'
import { projectRoot } from '../scripts/lib/paths.js'

const CALLS = 50
const root = projectRoot()
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

await $({ quiet: true })`npx tsx ${join(root, 'scripts/build.ts')}`
const emulator = await startMiniStack({ hooks: false })
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: emulator.url,
  KIT_CHECKPOINTS_DIR: mkdtempSync(join(tmpdir(), 'kit-cache-')),
}
const lambda = new LambdaClient({
  endpoint: emulator.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
})

async function measure(ttl: number) {
  await $({
    env,
    quiet: true,
  })`node ${join(root, 'dist/kit.mjs')} apply --part 7 --cache-ttl ${ttl}`
  await lambda.send(new InvokeCommand({ FunctionName: 'use-secret' })) // a warm worker for both
  let fetched = 0
  const started = performance.now()
  for (let call = 0; call < CALLS; call++) {
    const answer = await lambda.send(
      new InvokeCommand({ FunctionName: 'use-secret', Payload: Buffer.from('{}') }),
    )
    const body = JSON.parse(Buffer.from(answer.Payload ?? []).toString())
    if (body.cache !== 'hit') fetched++
  }
  return { ttl, fetched, msPerCall: (performance.now() - started) / CALLS }
}

try {
  const rows = [await measure(0), await measure(60)]
  console.log(`use-secret, ${CALLS} calls in a row on a warm worker`)
  console.log('| time-to-live | GetSecretValue calls | saved | ms per call |')
  console.log('|---:|---:|---:|---:|')
  for (const row of rows) {
    console.log(
      `| ${row.ttl} s | ${row.fetched} | ${CALLS - row.fetched} | ${row.msPerCall.toFixed(1)} |`,
    )
  }
} finally {
  await emulator.stop()
}
