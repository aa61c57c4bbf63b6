// Envelope encryption, as Secrets Manager does it inside: KMS makes a fresh
// data key for each payload, AES-256-GCM encrypts the payload locally, and
// only the KMS-encrypted copy of the data key is kept beside the ciphertext.
// KMS itself never sees the payload, so the 4 KB limit of kms:Encrypt is gone.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { BadInputError } from './errors.js'

export const ENVELOPE_FORMAT = 'kit-envelope/1'

export interface Envelope {
  format: typeof ENVELOPE_FORMAT
  keyId: string // the KMS key that wrapped the data key, for the reader's information
  encryptedDataKey: string // base64; kms:Decrypt finds the key from it
  iv: string
  tag: string
  ciphertext: string
}

// The format name is bound into the authentication tag, so an envelope cannot
// be passed off as another kind of blob.
const AAD = Buffer.from(ENVELOPE_FORMAT)

export function seal(
  plaintext: Uint8Array,
  dataKey: Uint8Array,
  encryptedDataKey: Uint8Array,
  keyId: string,
): Envelope {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv).setAAD(AAD)
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return {
    format: ENVELOPE_FORMAT,
    keyId,
    encryptedDataKey: Buffer.from(encryptedDataKey).toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  }
}

export function parseEnvelope(text: string): Envelope | undefined {
  try {
    const parsed = JSON.parse(text)
    return parsed?.format === ENVELOPE_FORMAT ? parsed : undefined
  } catch {
    return undefined
  }
}

export function open(envelope: Envelope, dataKey: Uint8Array): Buffer {
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      dataKey,
      Buffer.from(envelope.iv, 'base64'),
    ).setAAD(AAD)
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'))
    return Buffer.concat([
      decipher.update(Buffer.from(envelope.ciphertext, 'base64')),
      decipher.final(),
    ])
  } catch (error) {
    throw new BadInputError(
      'the envelope failed its integrity check: it was changed after encryption, or is not from kit kms encrypt',
      { cause: error },
    )
  }
}
