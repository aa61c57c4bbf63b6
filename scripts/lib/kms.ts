// A customer-managed key reached through an alias. The alias is the kit's
// handle on the key: it is looked up first, a key is made only when no usable
// one exists, and a key the reader disabled or scheduled for deletion is
// brought back rather than replaced.

import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyCommand,
  type KMSClient,
  type KeyMetadata,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms'
import { ConvergeError, isAwsError } from './errors.js'

export interface KeySpec {
  alias: string // alias/...
  description: string
  tags: Record<string, string>
}

export interface KeyResult {
  outcome: 'created' | 'exists' | 'restored'
  key: KeyMetadata
  orphans: string[] // keys of the kit's this run scheduled for deletion
}

export async function findAliasTarget(kms: KMSClient, alias: string): Promise<string | undefined> {
  let marker: string | undefined
  do {
    const page = await kms.send(new ListAliasesCommand({ Marker: marker }))
    const found = page.Aliases?.find((entry) => entry.AliasName === alias)
    if (found) return found.TargetKeyId
    marker = page.Truncated ? page.NextMarker : undefined
  } while (marker)
  return undefined
}

export async function describeKey(kms: KMSClient, keyId: string): Promise<KeyMetadata | undefined> {
  try {
    return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata
  } catch (error) {
    if (isAwsError(error, 'NotFoundException')) return undefined
    throw error
  }
}

// A key scheduled for deletion comes back Disabled once the deletion is
// cancelled, so both steps may be needed. Returns true if anything changed.
async function revive(kms: KMSClient, key: KeyMetadata): Promise<boolean> {
  let changed = false
  if (key.KeyState === 'PendingDeletion') {
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }))
    changed = true
  }
  if (changed || key.KeyState === 'Disabled') {
    const now = await describeKey(kms, key.KeyId!)
    if (now?.KeyState !== 'Enabled') {
      await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }))
      changed = true
    }
  }
  return changed
}

function tagged(
  tags: { TagKey?: string; TagValue?: string }[] | undefined,
  wanted: Record<string, string>,
) {
  return Object.entries(wanted).every(([key, value]) =>
    tags?.some((tag) => tag.TagKey === key && tag.TagValue === value),
  )
}

// The kit's own keys, found by their tags: how a key that lost its alias, or
// an orphan from a lost race, is found again. Only walked when the alias is
// missing or a race was lost, never on the warm path.
export async function findTaggedKeys(
  kms: KMSClient,
  tags: Record<string, string>,
): Promise<KeyMetadata[]> {
  const keys: KeyMetadata[] = []
  let marker: string | undefined
  do {
    const page = await kms.send(new ListKeysCommand({ Marker: marker }))
    for (const entry of page.Keys ?? []) {
      const key = await describeKey(kms, entry.KeyId!)
      if (!key || key.KeyManager === 'AWS') continue
      const found = await kms.send(new ListResourceTagsCommand({ KeyId: entry.KeyId }))
      if (tagged(found.Tags, tags)) keys.push(key)
    }
    marker = page.Truncated ? page.NextMarker : undefined
  } while (marker)
  return keys
}

// Oldest usable key first, so concurrent runs that find the same keys agree.
function pickKey(keys: KeyMetadata[]): KeyMetadata | undefined {
  const usable = keys.filter((key) =>
    ['Enabled', 'Disabled', 'PendingDeletion'].includes(key.KeyState!),
  )
  const rank = (key: KeyMetadata) => (key.KeyState === 'Enabled' ? 0 : 1)
  const time = (key: KeyMetadata) => key.CreationDate?.getTime() ?? 0
  return usable.sort(
    (a, b) => rank(a) - rank(b) || time(a) - time(b) || a.KeyId!.localeCompare(b.KeyId!),
  )[0]
}

// Schedules every enabled kit key except the one the alias names: leftovers of
// a lost race or of an alias the reader deleted.
async function retireOthers(kms: KMSClient, keep: string, spec: KeySpec): Promise<string[]> {
  const retired: string[] = []
  for (const key of await findTaggedKeys(kms, spec.tags)) {
    if (key.KeyId === keep || key.KeyState !== 'Enabled') continue
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }))
    retired.push(key.KeyId!)
  }
  return retired
}

async function createAlias(kms: KMSClient, alias: string, keyId: string): Promise<boolean> {
  try {
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }))
    return true
  } catch (error) {
    if (isAwsError(error, 'AlreadyExistsException')) return false
    throw error
  }
}

export async function ensureKey(kms: KMSClient, spec: KeySpec): Promise<KeyResult> {
  // The common case: the alias names a key; make sure that key is usable.
  const target = await findAliasTarget(kms, spec.alias)
  if (target) {
    const key = await describeKey(kms, target)
    if (!key)
      throw new ConvergeError(
        spec.alias,
        `points to key ${target}, which does not exist: delete the alias and rerun`,
      )
    if (!(await revive(kms, key))) return { outcome: 'exists', key, orphans: [] }
    return { outcome: 'restored', key: (await describeKey(kms, target))!, orphans: [] }
  }

  // No alias: reuse a key of the kit's if one is left, else make one.
  let key = pickKey(await findTaggedKeys(kms, spec.tags))
  let outcome: KeyResult['outcome'] = 'restored'
  if (!key) {
    const made = await kms.send(
      new CreateKeyCommand({
        Description: spec.description,
        Tags: Object.entries(spec.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
      }),
    )
    key = made.KeyMetadata!
    outcome = 'created'
  } else {
    await revive(kms, key)
  }

  // Several runs may get here at once; the alias decides which key wins.
  const won = await createAlias(kms, spec.alias, key.KeyId!)
  const winner = won ? key.KeyId! : await findAliasTarget(kms, spec.alias)
  if (!winner)
    throw new ConvergeError(
      spec.alias,
      'could not be created or found: check the emulator log and rerun',
    )

  const orphans = await retireOthers(kms, winner, spec)
  const final = (await describeKey(kms, winner))!
  return { outcome: won ? outcome : 'exists', key: final, orphans }
}
