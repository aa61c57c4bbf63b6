import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { DEFAULT_ENDPOINT, isLocalHost, resolveEndpoint } from '../scripts/lib/endpoint.js'
import { BadInputError } from '../scripts/lib/errors.js'

// Pure checks only: nothing here opens a connection.

test("isLocalHost accepts loopback, localhost names, LocalStack's name and compose services", () => {
  for (const host of [
    'localhost',
    'LOCALHOST',
    'api.localhost',
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '[::1]',
    'localhost.localstack.cloud',
    's3.localhost.localstack.cloud',
    'localstack',
    'ministack',
  ]) {
    assert.ok(isLocalHost(host), host)
  }
})

test('isLocalHost refuses AWS, other public names and every private or public address', () => {
  for (const host of [
    'kms.us-east-1.amazonaws.com',
    'amazonaws.com',
    'example.com',
    'localstack.cloud',
    'evil-localhost.localstack.cloud.example.com',
    '10.0.0.5',
    '192.168.1.10',
    '172.17.0.2',
    '8.8.8.8',
    '0.0.0.0',
    '::',
    'fe80::1',
    '2001:db8::1',
    '::ffff:10.0.0.1',
  ]) {
    assert.not.ok(isLocalHost(host), host)
  }
})

test('resolveEndpoint defaults to localhost:4566 and normalises the URL', () => {
  assert.equal(resolveEndpoint(undefined), { url: DEFAULT_ENDPOINT, local: true })
  assert.equal(resolveEndpoint('  '), { url: DEFAULT_ENDPOINT, local: true })
  assert.equal(resolveEndpoint('http://LocalStack:4566/'), {
    url: 'http://localstack:4566',
    local: true,
  })
})

const refuses = (raw: string, pattern: RegExp, allowRemote = false) => {
  assert.throws(
    () => resolveEndpoint(raw, allowRemote),
    (error: Error) =>
      error instanceof BadInputError &&
      error.exitCode === 2 &&
      pattern.test(error.message) &&
      !error.message.includes('\n'),
  )
}

test('resolveEndpoint refuses a malformed URL with a one-line hint', () => {
  refuses('localhost:4566', /must start with http/)
  refuses('not a url', /is not a URL/)
  refuses('ftp://localhost:4566', /must start with http/)
  refuses('http://localhost:4566/some/path', /bare origin/)
})

test('resolveEndpoint refuses a non-local endpoint unless remote is allowed', () => {
  refuses('https://kms.us-east-1.amazonaws.com', /--allow-remote/)
  refuses('http://10.0.0.5:4566', /not a local emulator/)
  assert.equal(resolveEndpoint('https://kms.us-east-1.amazonaws.com', true), {
    url: 'https://kms.us-east-1.amazonaws.com',
    local: false,
  })
})

test.run()
