// Waits for an emulator to answer and finds out which one it is. A hook runs
// once the gateway listens, but a reader may start the kit from the host while
// the container is still booting, so the first calls may be refused.

import { get as httpGet } from 'node:http'
import { get as httpsGet } from 'node:https'
import { EmulatorUnreachableError } from './errors.js'
import type { Endpoint } from './endpoint.js'
import { progress } from './log.js'

export interface EmulatorInfo {
  name: 'ministack' | 'localstack' | 'aws' | 'unknown'
  version?: string
}

export const DEFAULT_WAIT_SECONDS = 60

// Reads KIT_WAIT_SECONDS; anything but a positive number falls back to 60 s.
export function waitSecondsFrom(raw: string | undefined): number {
  const seconds = Number(raw)
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_WAIT_SECONDS
}

// node:http rather than fetch: fetch loads undici on first use, which costs a
// hook about 30 ms before its first byte, on every run.
function getJson(url: string): Promise<Record<string, unknown> | undefined> {
  const client = url.startsWith('https:') ? httpsGet : httpGet
  return new Promise((resolve, reject) => {
    const request = client(url, { timeout: 2000 }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => {
        body += chunk
      })
      response.on('end', () => {
        if (response.statusCode !== 200) return resolve(undefined)
        try {
          resolve(JSON.parse(body))
        } catch {
          resolve(undefined)
        }
      })
    })
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within 2 s`)))
    request.on('error', reject)
  })
}

// MiniStack answers on its own path; LocalStack answers on /_localstack/health
// (MiniStack does too, so the order of the two probes matters).
async function identify(url: string): Promise<EmulatorInfo | undefined> {
  const ministack = await getJson(`${url}/_ministack/health`)
  if (ministack?.services) return { name: 'ministack', version: String(ministack.version ?? '') }

  const localstack = await getJson(`${url}/_localstack/health`)
  if (localstack?.services) return { name: 'localstack', version: String(localstack.version ?? '') }
  return undefined
}

export async function waitForEmulator(endpoint: Endpoint, seconds: number): Promise<EmulatorInfo> {
  if (!endpoint.local) return { name: 'aws' }

  const started = performance.now()
  const deadline = started + seconds * 1000
  let delay = 100
  let lastError: unknown

  for (;;) {
    try {
      const found = await identify(endpoint.url)
      if (found) return found
      lastError = new Error('answered, but not as LocalStack or MiniStack')
    } catch (error) {
      lastError = error
    }
    if (performance.now() + delay > deadline) break

    const waited = ((performance.now() - started) / 1000).toFixed(1)
    progress(`waiting for the emulator at ${endpoint.url} (${waited} s of ${seconds} s)`)
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay = Math.min(delay * 2, 2000)
  }
  throw new EmulatorUnreachableError(
    `no emulator answered at ${endpoint.url} within ${seconds} s: start it (docker compose up, or npm run up:local) or raise KIT_WAIT_SECONDS`,
    { cause: lastError },
  )
}
