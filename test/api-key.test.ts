import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { newApiKeyLike, problemWithPending } from '../handler/rotate-secret/api-key.js'

test('newApiKeyLike keeps the prefix and length of the current key', () => {
  const next = newApiKeyLike('sk_test_4eC39HqLyjWDarjtT1zdp7dc')
  assert.match(next, /^sk_test_[A-Za-z0-9]{24}$/)
  assert.is.not(next, 'sk_test_4eC39HqLyjWDarjtT1zdp7dc')
  assert.match(newApiKeyLike('sk_live_RotatedKey_9zX4kQpTvN8wMb2L'), /^sk_live_[A-Za-z0-9]{27}$/)
})

test('newApiKeyLike falls back to sk_test_ for a key of another shape', () => {
  assert.match(newApiKeyLike('not-a-key'), /^sk_test_[A-Za-z0-9]{24}$/)
})

test('problemWithPending accepts a new key of the right shape', () => {
  assert.is(
    problemWithPending('{"api_key":"sk_test_abcdefghijklmnopqrstuvwx"}', '{"api_key":"sk_test_x"}'),
    undefined,
  )
})

test('problemWithPending refuses a value that is not JSON, has the wrong shape, or did not change', () => {
  assert.match(problemWithPending('nope', '{}')!, /not JSON/)
  assert.match(problemWithPending('{"api_key":"hello"}', '{}')!, /not of the form/)
  const same = '{"api_key":"sk_test_abcdefghijklmnopqrstuvwx"}'
  assert.match(problemWithPending(same, same)!, /same as the current/)
})

test.run()
