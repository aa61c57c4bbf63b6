// Part 7: Secrets Manager + KMS. A customer-managed key behind an alias, a
// secret bound to it, use-secret, which reads the secret on every call so a
// rotated value goes live without a redeploy, and rotate-secret, which
// rotates it in four steps.

import type { Part } from '../part.js'
import { apply } from './apply.js'
import { reset } from './reset.js'
import { smoke } from './smoke.js'
import { inspect } from './state.js'

export const part7: Part = {
  number: 7,
  title: 'Secrets Manager + KMS: handling secrets and encryption locally',
  needs: [],
  apply,
  inspect,
  smoke,
  reset,
}

export { ALIAS, CHECKPOINT_VALUE, SECRET_NAME, secretValueFrom } from './resources.js'
