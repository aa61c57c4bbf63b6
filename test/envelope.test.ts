import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randomBytes } from 'node:crypto'
import { ENVELOPE_FORMAT, open, parseEnvelope, seal } from '../scripts/lib/envelope.js'
import { BadInputError } from '../scripts/lib/errors.js'

const dataKey = randomBytes(32)
const wrapped = randomBytes(48) // stands in for KMS's encrypted copy of the key
const payload = randomBytes(10_000)

test('seal and open round-trip a payload larger than the KMS limit', () => {
  const envelope = seal(payload, dataKey, wrapped, 'key-1')
  assert.is(envelope.format, ENVELOPE_FORMAT)
  assert.equal(open(envelope, dataKey), payload)
})

test('the envelope keeps only the encrypted data key, never the plaintext one', () => {
  const text = JSON.stringify(seal(payload, dataKey, wrapped, 'key-1'))
  assert.not.ok(text.includes(dataKey.toString('base64')))
  assert.ok(text.includes(wrapped.toString('base64')))
})

test('a changed ciphertext, tag or iv fails with a clear exit-2 error', () => {
  const envelope = seal(payload, dataKey, wrapped, 'key-1')
  const flip = (b64: string) => {
    const bytes = Buffer.from(b64, 'base64')
    bytes[Math.floor(bytes.length / 2)] ^= 0x01
    return bytes.toString('base64')
  }
  for (const field of ['ciphertext', 'tag', 'iv'] as const) {
    assert.throws(
      () => open({ ...envelope, [field]: flip(envelope[field]) }, dataKey),
      (error: Error) =>
        error instanceof BadInputError &&
        error.exitCode === 2 &&
        /integrity check/.test(error.message),
    )
  }
})

test('a wrong data key fails the same way', () => {
  const envelope = seal(payload, dataKey, wrapped, 'key-1')
  assert.throws(
    () => open(envelope, randomBytes(32)),
    (error: Error) => error instanceof BadInputError,
  )
})

test('parseEnvelope tells an envelope from a plain base64 blob', () => {
  assert.ok(parseEnvelope(JSON.stringify(seal(payload, dataKey, wrapped, 'key-1'))))
  assert.is(parseEnvelope('AQIDBA=='), undefined)
  assert.is(parseEnvelope('{"format":"other"}'), undefined)
})

test.run()
