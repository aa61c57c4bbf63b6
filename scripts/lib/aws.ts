// The three SDK clients every part uses, made once per run for one endpoint.

import { KMSClient } from '@aws-sdk/client-kms'
import { LambdaClient } from '@aws-sdk/client-lambda'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { type Endpoint, REGION } from './endpoint.js'

export interface Aws {
  endpoint: Endpoint
  kms: KMSClient
  secrets: SecretsManagerClient
  lambda: LambdaClient
}

// The SDK warns on every Node 20 process that future releases will need 22.
// The kit pins its SDK, so the warning says nothing a reader can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

export function awsFor(endpoint: Endpoint): Aws {
  // An emulator accepts any key; real AWS gets the reader's own credential chain.
  const credentials =
    endpoint.local && !process.env.AWS_ACCESS_KEY_ID
      ? { accessKeyId: 'test', secretAccessKey: 'test' }
      : undefined
  const config = {
    endpoint: endpoint.url,
    region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || REGION,
    credentials,
    maxAttempts: 3,
  }
  return {
    endpoint,
    kms: new KMSClient(config),
    secrets: new SecretsManagerClient(config),
    lambda: new LambdaClient(config),
  }
}
