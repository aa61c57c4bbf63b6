// Where the kit sends its AWS calls, and the guard that keeps a typo from
// sending them to real AWS. Everything here is pure: the tests call it with
// made-up endpoints and never open a connection.

import { isIP } from 'node:net'
import { BadInputError } from './errors.js'

export const DEFAULT_ENDPOINT = 'http://localhost:4566'
export const REGION = 'us-east-1'

export interface Endpoint {
  url: string // normalised, without a trailing slash
  local: boolean
}

// Hosts that can only be an emulator on this machine or in its compose
// network. A name without dots is a compose service (localstack, ministack);
// real AWS endpoints always have dots.
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '')

  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === 'localhost.localstack.cloud') return true
  if (host.endsWith('.localhost.localstack.cloud')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) return host === '::1'
  return !host.includes('.')
}

// Reads the endpoint the reader gave (or the default) and refuses anything
// that is not plainly an emulator unless real AWS was asked for on purpose.
export function resolveEndpoint(raw: string | undefined, allowRemote = false): Endpoint {
  const text = (raw ?? '').trim() || DEFAULT_ENDPOINT

  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new BadInputError(
      `AWS_ENDPOINT_URL "${text}" is not a URL: use the form http://localhost:4566`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadInputError(
      `AWS_ENDPOINT_URL "${text}" must start with http:// or https://, e.g. http://localhost:4566`,
    )
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new BadInputError(
      `AWS_ENDPOINT_URL "${text}" must be a bare origin such as http://localhost:4566 (no path, query or user)`,
    )
  }

  const local = isLocalHost(url.hostname)
  if (!local && !allowRemote) {
    throw new BadInputError(
      `AWS_ENDPOINT_URL "${text}" is not a local emulator; pass --allow-remote if you really mean to change a real AWS account`,
    )
  }
  return { url: url.origin, local }
}
