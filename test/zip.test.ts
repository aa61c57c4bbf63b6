import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { unzipSync } from 'fflate'
import { codeSha256, deterministicZip } from '../scripts/lib/zip.js'

const code = new TextEncoder().encode('exports.handler = async () => 1\n')

test('deterministicZip gives the same bytes for the same files, whenever it runs', async () => {
  const first = deterministicZip({ 'index.js': code, 'b.js': code })
  await new Promise((resolve) => setTimeout(resolve, 1100)) // past a DOS-time tick
  const second = deterministicZip({ 'b.js': code, 'index.js': code })
  assert.equal(second, first)
  assert.is(codeSha256(second), codeSha256(first))
})

test('deterministicZip changes when the code changes', () => {
  const other = new TextEncoder().encode('exports.handler = async () => 2\n')
  assert.is.not(
    codeSha256(deterministicZip({ 'index.js': other })),
    codeSha256(deterministicZip({ 'index.js': code })),
  )
})

test('deterministicZip holds the files it was given, unchanged', () => {
  const files = unzipSync(deterministicZip({ 'index.js': code }))
  assert.equal(Object.keys(files), ['index.js'])
  assert.equal(files['index.js'], code)
})

test('codeSha256 is the base64 SHA-256 Lambda reports', () => {
  assert.is(codeSha256(new Uint8Array()), '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=')
})

test.run()
