import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { previewOf } from '../handler/use-secret/preview.js'

test('previewOf keeps the first and last four characters of api_key', () => {
  assert.is(previewOf('{"api_key":"sk_test_4eC39HqLyjWDarjtT1zdp7dc"}'), 'sk_t...p7dc')
})

test('previewOf hides a key shorter than ten characters entirely', () => {
  assert.is(previewOf('{"api_key":"123456789"}'), '***')
  assert.is(previewOf('{"api_key":"1234567890"}'), '1234...7890')
})

test('previewOf gives *** for a value that is not JSON or has no api_key', () => {
  assert.is(previewOf('sk_test_4eC39HqLyjWDarjtT1zdp7dc'), '***')
  assert.is(previewOf('{"token":"sk_test_4eC39HqLyjWDarjtT1zdp7dc"}'), '***')
  assert.is(previewOf('{"api_key":12345678901}'), '***')
  assert.is(previewOf(undefined), '***')
})

test.run()
