// Checkpoint markers: one JSON file per part in checkpoints/, saying what the
// part's live state was when the kit last brought it up. A marker is a record,
// not a source of truth: status and apply always check the emulator itself.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Marker {
  part: number
  title: string
  completedAt: string
  endpoint: string
  emulator: { name: string; version?: string }
  // The choices the part was applied with, so status judges it by them.
  options?: { cacheTtlSeconds?: number }
  resources: Record<string, Record<string, string>>
}

export function markerFile(dir: string, part: number): string {
  return join(dir, `part-${String(part).padStart(2, '0')}.json`)
}

// Written beside its final name, then renamed over it: a reader (or a run
// that is racing this one) sees the old marker or the new one, never half.
export function writeMarker(dir: string, marker: Marker): string {
  mkdirSync(dir, { recursive: true })
  const file = markerFile(dir, marker.part)
  const scratch = `${file}.${process.pid}.${Date.now()}.tmp`
  writeFileSync(scratch, `${JSON.stringify(marker, null, 2)}\n`)
  try {
    renameSync(scratch, file)
  } catch (error) {
    rmSync(scratch, { force: true })
    throw error
  }
  return file
}

// A missing marker is normal (the part was never applied); an unreadable one
// is reported as missing too, since the next apply rewrites it anyway.
export function readMarker(dir: string, part: number): Marker | undefined {
  try {
    const marker = JSON.parse(readFileSync(markerFile(dir, part), 'utf8'))
    return marker?.part === part ? marker : undefined
  } catch {
    return undefined
  }
}

export function removeMarker(dir: string, part: number): boolean {
  const file = markerFile(dir, part)
  try {
    rmSync(file)
    return true
  } catch {
    return false
  }
}
