import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Marker,
  markerFile,
  readMarker,
  removeMarker,
  writeMarker,
} from '../scripts/lib/marker.js'

const marker = (completedAt: string): Marker => ({
  part: 7,
  title: 'Part 7',
  completedAt,
  endpoint: 'http://localhost:4566',
  emulator: { name: 'ministack', version: '1.5.33' },
  resources: { key: { id: 'k1' } },
})

test('writeMarker writes part-07.json and readMarker reads it back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-marker-'))
  const file = writeMarker(dir, marker('2026-01-01T00:00:00.000Z'))
  assert.is(file, join(dir, 'part-07.json'))
  assert.equal(readMarker(dir, 7), marker('2026-01-01T00:00:00.000Z'))
})

test('writeMarker replaces the old marker whole and leaves no scratch file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-marker-'))
  writeMarker(dir, marker('2026-01-01T00:00:00.000Z'))
  writeMarker(dir, marker('2026-02-02T00:00:00.000Z'))
  assert.equal(readdirSync(dir), ['part-07.json'])
  assert.is(readMarker(dir, 7)?.completedAt, '2026-02-02T00:00:00.000Z')
})

test('writeMarker creates the checkpoints folder when it is missing', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'kit-marker-')), 'nested', 'checkpoints')
  writeMarker(dir, marker('2026-01-01T00:00:00.000Z'))
  assert.ok(readMarker(dir, 7))
})

test('readMarker treats a missing, torn or foreign file as no marker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-marker-'))
  assert.is(readMarker(dir, 7), undefined)
  writeFileSync(markerFile(dir, 7), '{"part": 7, "title"')
  assert.is(readMarker(dir, 7), undefined)
  writeFileSync(markerFile(dir, 7), '{"part": 6}')
  assert.is(readMarker(dir, 7), undefined)
})

test('removeMarker deletes the marker and says whether there was one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-marker-'))
  writeMarker(dir, marker('2026-01-01T00:00:00.000Z'))
  assert.is(removeMarker(dir, 7), true)
  assert.is(removeMarker(dir, 7), false)
  assert.is(readMarker(dir, 7), undefined)
})

test.run()
