// kit kms encrypt / decrypt: the article's KMS aside with the kit's key, and
// envelope encryption for payloads over the 4 KB that kms:Encrypt accepts.

import { readFileSync, writeFileSync } from 'node:fs'
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms'
import { open, parseEnvelope, seal } from '../lib/envelope.js'
import { BadInputError, ConvergeError, EXIT_OK, isAwsError } from '../lib/errors.js'
import { say, warn } from '../lib/log.js'
import { ALIAS } from '../parts/part-07/index.js'
import type { PartContext } from '../parts/part.js'
import { type Command, type Values, connect } from './command.js'

// kms:Encrypt takes at most 4096 bytes of plaintext.
export const DIRECT_LIMIT = 4096

function input(values: Values): Buffer {
  if (typeof values.text === 'string' && values.in !== undefined)
    throw new BadInputError('give --text or --in, not both')
  if (typeof values.text === 'string') return Buffer.from(values.text)
  if (typeof values.in === 'string') {
    try {
      return values.in === '-' ? readFileSync(0) : readFileSync(values.in)
    } catch {
      throw new BadInputError(`cannot read ${values.in}: check the path`)
    }
  }
  throw new BadInputError('nothing to work on: give --text TEXT or --in FILE (- for stdin)')
}

function output(values: Values, data: Buffer | string): void {
  if (typeof values.out === 'string') writeFileSync(values.out, data)
  else process.stdout.write(typeof data === 'string' ? `${data}\n` : data)
}

// KMS names a blob it cannot read in several ways; to a reader they all mean
// the same thing.
function unreadable(error: unknown): never {
  if (
    isAwsError(error, 'InvalidCiphertextException', 'IncorrectKeyException', 'ValidationException')
  ) {
    throw new BadInputError(
      'KMS cannot decrypt this ciphertext: it was changed, cut short, or made with another key',
      { cause: error },
    )
  }
  if (isAwsError(error, 'NotFoundException')) {
    throw new ConvergeError(`key ${ALIAS}`, 'is missing: run kit apply --part 7 first', {
      cause: error,
    })
  }
  throw error
}

async function encrypt(ctx: PartContext, plaintext: Buffer, envelope: boolean): Promise<string> {
  const { kms } = ctx.aws
  if (!envelope) {
    const sealed = await kms
      .send(new EncryptCommand({ KeyId: ALIAS, Plaintext: plaintext }))
      .catch(unreadable)
    return Buffer.from(sealed.CiphertextBlob!).toString('base64')
  }
  const dataKey = await kms
    .send(new GenerateDataKeyCommand({ KeyId: ALIAS, KeySpec: 'AES_256' }))
    .catch(unreadable)
  try {
    const sealed = seal(plaintext, dataKey.Plaintext!, dataKey.CiphertextBlob!, dataKey.KeyId!)
    return JSON.stringify(sealed, null, 2)
  } finally {
    dataKey.Plaintext!.fill(0) // the plaintext data key lives no longer than it must
  }
}

async function decrypt(ctx: PartContext, data: Buffer): Promise<Buffer> {
  const { kms } = ctx.aws
  const text = data.toString('utf8').trim()
  const envelope = parseEnvelope(text)

  // No KeyId: the ciphertext names its key, as the article points out.
  const blob = Buffer.from(envelope ? envelope.encryptedDataKey : text, 'base64')
  if (blob.length === 0)
    throw new BadInputError(
      'the ciphertext is empty or not base64: give what kit kms encrypt printed',
    )
  const opened = await kms.send(new DecryptCommand({ CiphertextBlob: blob })).catch(unreadable)
  if (!envelope) return Buffer.from(opened.Plaintext!)
  try {
    return open(envelope, opened.Plaintext!)
  } finally {
    opened.Plaintext!.fill(0)
  }
}

const ioOptions = {
  text: {
    type: 'string',
    help: 'the input as text (encrypt: plaintext; decrypt: base64 or an envelope)',
  },
  in: { type: 'string', help: 'read the input from a file (- for stdin)' },
  out: { type: 'string', help: 'write the result to a file instead of stdout' },
} as const

export const kmsCommands: Record<string, Command> = {
  kms: {
    summary: 'encrypt or decrypt with the Part 7 key (envelope encryption over 4 KB)',
    usage: 'kit kms encrypt|decrypt (--text TEXT | --in FILE) [--out FILE] [--envelope]',
    positionals: true,
    options: {
      ...ioOptions,
      envelope: {
        type: 'boolean',
        help: 'encrypt: use a KMS data key and AES-256-GCM (automatic over 4 KB)',
      },
    },
    async run(values, positionals) {
      const [action, ...extra] = positionals
      if (!['encrypt', 'decrypt'].includes(action) || extra.length) {
        throw new BadInputError(
          'say kit kms encrypt or kit kms decrypt, e.g. kit kms encrypt --text hello',
        )
      }
      const data = input(values)
      const ctx = await connect(values)

      if (action === 'decrypt') {
        output(values, await decrypt(ctx, data))
        return EXIT_OK
      }
      const envelope = Boolean(values.envelope) || data.length > DIRECT_LIMIT
      if (envelope && !values.envelope)
        warn(
          `kit kms: ${data.length} bytes is over the ${DIRECT_LIMIT}-byte KMS limit; using envelope encryption`,
        )
      output(values, await encrypt(ctx, data, envelope))
      if (typeof values.out === 'string') say(`wrote ${values.out}`)
      return EXIT_OK
    },
  },
}
