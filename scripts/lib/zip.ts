// A Lambda zip whose bytes depend only on its contents, so that the same
// bundle always gives the same CodeSha256 and an unchanged handler is never
// uploaded again. fflate writes the archive; the kit only pins what would
// otherwise vary between builds: entry order, timestamps and file modes.

import { createHash } from 'node:crypto'
import { zipSync } from 'fflate'

// Zip timestamps are DOS dates and cannot go before 1980.
const FIXED_TIME = new Date('1980-01-01T00:00:00Z')

export function deterministicZip(files: Record<string, Uint8Array>): Uint8Array {
  const entries: Parameters<typeof zipSync>[0] = {}
  for (const name of Object.keys(files).sort()) {
    entries[name] = [files[name], { mtime: FIXED_TIME, os: 3, attrs: 0o100644 << 16 }]
  }
  return zipSync(entries, { level: 9 })
}

// Lambda reports CodeSha256 as the base64 SHA-256 of the uploaded zip.
export function codeSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64')
}
