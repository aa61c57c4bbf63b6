// Reading Part 7 back from the emulator, and judging what is read: on its
// own (is it whole?) and against a marker (has it changed since?).

import { describeKey, findAliasTarget } from '../../lib/kms.js'
import { type FunctionSpec, configDrift, getConfiguration } from '../../lib/lambda.js'
import type { Marker } from '../../lib/marker.js'
import { currentVersionOf, describeSecret, isBoundTo } from '../../lib/secrets.js'
import type { Finding, PartContext } from '../part.js'
import { ALIAS, FUNCTION_NAME, ROTATION_FUNCTION_NAME, SECRET_NAME, specsOf } from './resources.js'

// Everything Part 7 consists of, as the emulator has it now.
export async function readLive(ctx: PartContext) {
  const { kms, secrets, lambda } = ctx.aws
  const [keyId, secret, fn, rotation] = await Promise.all([
    findAliasTarget(kms, ALIAS),
    describeSecret(secrets, SECRET_NAME),
    getConfiguration(lambda, FUNCTION_NAME),
    getConfiguration(lambda, ROTATION_FUNCTION_NAME),
  ])
  const key = keyId ? await describeKey(kms, keyId) : undefined
  return { keyId, key, secret, fn, rotation }
}

export type Live = Awaited<ReturnType<typeof readLive>>

// What is wrong with the live state on its own, marker or not.
export function problemsOf(live: Live, specs: FunctionSpec[]): Finding[] {
  const findings: Finding[] = []
  if (!live.keyId) findings.push({ resource: `alias ${ALIAS}`, problem: 'missing' })
  else if (!live.key)
    findings.push({ resource: `alias ${ALIAS}`, problem: `points to missing key ${live.keyId}` })
  else if (live.key.KeyState !== 'Enabled') {
    findings.push({
      resource: `key ${live.key.KeyId}`,
      problem: `is ${live.key.KeyState}, not Enabled`,
    })
  }

  if (!live.secret) findings.push({ resource: `secret ${SECRET_NAME}`, problem: 'missing' })
  else if (live.secret.DeletedDate)
    findings.push({ resource: `secret ${SECRET_NAME}`, problem: 'scheduled for deletion' })
  else if (live.key && !isBoundTo(live.secret.KmsKeyId, ALIAS, live.key)) {
    findings.push({
      resource: `secret ${SECRET_NAME}`,
      problem: `bound to ${live.secret.KmsKeyId}, not ${ALIAS}`,
    })
  }

  for (const spec of specs) {
    const fn = spec.name === FUNCTION_NAME ? live.fn : live.rotation
    const resource = `function ${spec.name}`
    if (!fn) {
      findings.push({ resource, problem: 'missing' })
      continue
    }
    if (fn.State !== 'Active') findings.push({ resource, problem: `is ${fn.State}` })
    if (fn.CodeSha256 !== spec.codeSha256)
      findings.push({ resource, problem: `code differs from handler/${spec.name}` })
    for (const field of configDrift(fn, spec))
      findings.push({ resource, problem: `${field} drifted` })
  }
  return findings
}

export function resourcesOf(live: Live): Record<string, Record<string, string>> {
  return {
    key: { id: live.key!.KeyId!, arn: live.key!.Arn!, alias: ALIAS },
    secret: {
      name: SECRET_NAME,
      arn: live.secret!.ARN!,
      kmsKeyId: live.secret!.KmsKeyId ?? '',
      currentVersionId: currentVersionOf(live.secret) ?? '',
    },
    function: {
      name: FUNCTION_NAME,
      arn: live.fn!.FunctionArn!,
      codeSha256: live.fn!.CodeSha256!,
      lastModified: live.fn!.LastModified ?? '',
    },
    rotationFunction: {
      name: ROTATION_FUNCTION_NAME,
      arn: live.rotation!.FunctionArn!,
      codeSha256: live.rotation!.CodeSha256!,
    },
  }
}

// Status: what is wrong now, and what changed since the marker was written.
export async function inspect(ctx: PartContext, marker: Marker | undefined) {
  const live = await readLive(ctx)
  const findings = problemsOf(live, specsOf(ctx))
  if (!marker) return { findings, present: Boolean(live.key || live.secret || live.fn) }

  const was = marker.resources
  const present = Boolean(
    (live.key && live.key.KeyId === was.key?.id) ||
    (live.secret && live.secret.ARN === was.secret?.arn) ||
    (live.fn &&
      live.fn.FunctionArn === was.function?.arn &&
      live.fn.LastModified === was.function?.lastModified),
  )
  if (live.key && was.key?.id && live.key.KeyId !== was.key.id) {
    findings.push({
      resource: `alias ${ALIAS}`,
      problem: `points to ${live.key.KeyId}, the marker says ${was.key.id}`,
    })
  }
  if (live.secret && was.secret?.arn && live.secret.ARN !== was.secret.arn) {
    findings.push({
      resource: `secret ${SECRET_NAME}`,
      problem: 'was created again since the marker',
    })
  } else if (live.secret && currentVersionOf(live.secret) !== was.secret?.currentVersionId) {
    findings.push({
      resource: `secret ${SECRET_NAME}`,
      problem: `AWSCURRENT is ${currentVersionOf(live.secret)}, the marker says ${was.secret?.currentVersionId}`,
    })
  }
  if (live.fn && was.function?.codeSha256 && live.fn.CodeSha256 !== was.function.codeSha256) {
    findings.push({
      resource: `function ${FUNCTION_NAME}`,
      problem: 'code changed since the marker',
    })
  }
  return { findings, present }
}
