// What a part of the series is to the kit: a module that can bring its
// resources up, read them back, check them as a reader would, and remove them.
// Parts 1 to 6 and 8 join by adding a module like part-07.ts to index.ts.

import type { Aws } from '../lib/aws.js'
import type { Marker } from '../lib/marker.js'
import type { EmulatorInfo } from '../lib/ready.js'

export interface ApplyOptions {
  // Put the checkpoint's secret value back as a new version, even over a
  // value the reader has since put.
  resetSecretValue: boolean
  // The reader's own secret value (JSON) instead of the article's.
  secretValue?: string
  // use-secret's cache time-to-live; 0 or unset fetches on every call.
  cacheTtlSeconds?: number
}

export interface PartContext {
  aws: Aws
  emulator: EmulatorInfo
  options: ApplyOptions
}

// One way the live state differs from what the part needs or what its marker
// recorded, named by resource so a reader knows where to look.
export interface Finding {
  resource: string
  problem: string
}

export interface SmokeCheck {
  name: string
  ok: boolean
  detail: string
}

export interface Part {
  number: number
  title: string
  needs: number[] // parts whose resources this one builds on
  apply(ctx: PartContext): Promise<Marker['resources']>
  // Reads the live state and lists what is wrong with it on its own and
  // against the marker; `present` says whether any marked resource still exists.
  inspect(
    ctx: PartContext,
    marker: Marker | undefined,
  ): Promise<{ findings: Finding[]; present: boolean }>
  smoke(ctx: PartContext): Promise<SmokeCheck[]>
  reset(ctx: PartContext): Promise<string[]>
}
