// The shape of the series' API keys (sk_<mode>_<random>), for making a new
// one and for testing a pending one before it goes live.

import { randomInt } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const SHAPE = /^(sk_[a-z]+_)([A-Za-z0-9_]+)$/

// Keeps the current key's prefix and length, so sk_test_ stays sk_test_.
export function newApiKeyLike(current: string): string {
  const match = SHAPE.exec(current)
  const prefix = match?.[1] ?? 'sk_test_'
  const length = Math.max(match?.[2].length ?? 24, 24)
  let random = ''
  for (let i = 0; i < length; i++) random += ALPHABET[randomInt(ALPHABET.length)]
  return prefix + random
}

// Why a pending value must not go live, or undefined when it may.
export function problemWithPending(pending: string, current: string): string | undefined {
  let apiKey: unknown
  try {
    apiKey = JSON.parse(pending)?.api_key
  } catch {
    return 'the pending value is not JSON'
  }
  if (typeof apiKey !== 'string' || !SHAPE.test(apiKey))
    return 'the pending api_key is not of the form sk_<mode>_<random>'
  if (pending === current) return 'the pending value is the same as the current one'
  return undefined
}
