// use-secret: reads the Part 7 secret and answers with a preview of it, so a
// rotation shows up without a redeploy.

import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { previewOf } from './preview.js'

// One client per worker: the connection is reused across invocations.
// The SDK picks AWS_ENDPOINT_URL up by itself; both emulators set it in here.
const secrets = new SecretsManagerClient({})
const secretId = process.env.SECRET_ID || 'third-party/api-key'

// Caching is off unless SECRET_CACHE_TTL_SECONDS says otherwise: the article
// fetches on every call so that a rotation shows at once. With a time-to-live,
// a busy function saves a Secrets Manager call per hit and pays for it with a
// rotation that takes up to that long to show.
const ttlMs = Math.max(0, Number(process.env.SECRET_CACHE_TTL_SECONDS) || 0) * 1000
let cached: { found: GetSecretValueCommandOutput; at: number } | undefined

async function currentSecret(): Promise<{ found: GetSecretValueCommandOutput; hit: boolean }> {
  if (cached && Date.now() - cached.at < ttlMs) return { found: cached.found, hit: true }
  const found = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))
  if (ttlMs > 0) cached = { found, at: Date.now() }
  return { found, hit: false }
}

export async function handler() {
  const { found, hit } = await currentSecret()
  return {
    secret_id: secretId,
    version_id: found.VersionId,
    version_stages: found.VersionStages ?? [],
    api_key_preview: previewOf(found.SecretString),
    // Only with caching on, so the article's answer keeps its exact shape.
    ...(ttlMs > 0 ? { cache: hit ? 'hit' : 'miss' } : {}),
  }
}
