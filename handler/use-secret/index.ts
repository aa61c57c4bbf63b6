// use-secret: reads the Part 7 secret on every invocation and answers with a
// preview of it, so a rotation shows up without a redeploy.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { previewOf } from './preview.js'

// One client per worker: the connection is reused across invocations, while the
// secret itself is fetched fresh (or from the short cache below) each time.
// The SDK picks AWS_ENDPOINT_URL up by itself; both emulators set it in here.
const secrets = new SecretsManagerClient({})
const secretId = process.env.SECRET_ID || 'third-party/api-key'

export async function handler() {
  const found = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))
  return {
    secret_id: secretId,
    version_id: found.VersionId,
    version_stages: found.VersionStages ?? [],
    api_key_preview: previewOf(found.SecretString),
  }
}
