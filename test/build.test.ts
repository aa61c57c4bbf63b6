// The build as the hooks depend on it: the same sources give the same zips
// (so CodeSha256 tells whether code changed), and use-secret stays small.

import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { codeSha256 } from '../scripts/lib/zip.js'
import { root, run } from './support/emulator.js'

const ZIPS = ['use-secret.zip', 'rotate-secret.zip']
const shaOf = (name: string) => codeSha256(readFileSync(join(root, 'dist', name)))

test('building twice gives byte-identical Lambda zips', async () => {
  const first = ZIPS.map(shaOf)
  const again = await run('npx', ['tsx', join(root, 'scripts', 'build.ts')], {})
  assert.is(again.code, 0, again.stderr)
  assert.equal(ZIPS.map(shaOf), first)
})

test('each zip holds one index.js whose handler the runtime can find', () => {
  for (const name of ZIPS) {
    const files = unzipSync(readFileSync(join(root, 'dist', name)))
    assert.equal(Object.keys(files), ['index.js'], name)
    assert.match(new TextDecoder().decode(files['index.js']), /handler/)
  }
})

test('use-secret.zip stays under 150 KB', () => {
  const size = statSync(join(root, 'dist', 'use-secret.zip')).size
  assert.ok(size < 150 * 1024, `${size} bytes`)
})

test.run()
