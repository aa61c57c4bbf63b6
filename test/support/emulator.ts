// What the integration tests share: a real MiniStack per suite, the real hook
// and CLI run as child processes, and a record of everything they printed so
// that the suites can prove no secret value ever reached an output.

import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { KMSClient } from '@aws-sdk/client-kms'
import { LambdaClient } from '@aws-sdk/client-lambda'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { type Emulator, startMiniStack } from '../../scripts/emulator.js'
import { projectRoot } from '../../scripts/lib/paths.js'

export const root = projectRoot()
export const HOOK = join(root, 'init', 'ready.d', '07-part7-secrets.sh')
export const KIT = join(root, 'dist', 'kit.mjs')

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

export interface Run {
  code: number
  stdout: string
  stderr: string
}

// Everything the kit printed during this test process, for the secret scan.
const captured: string[] = []

export function capturedOutput(): string {
  return captured.join('\n')
}

export function record(label: string, text: string): void {
  captured.push(`--- ${label}\n${text}`)
  mkdirSync(join(root, '.kit'), { recursive: true })
  appendFileSync(join(root, '.kit', 'test-output.log'), `--- ${label}\n${text}\n`)
}

export function run(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      // The label leaves the arguments out: some carry a value on purpose.
      record(`${command} exit ${code}`, `${stdout}\n${stderr}`)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

export interface Harness {
  emulator: Emulator
  checkpoints: string
  env: Record<string, string>
  kms: KMSClient
  secrets: SecretsManagerClient
  lambda: LambdaClient
  hook(extra?: Record<string, string>): Promise<Run>
  kit(args: string[], extra?: Record<string, string | undefined>): Promise<Run>
  reset(): Promise<void>
  stop(): Promise<void>
}

// One emulator for a suite, with its own markers folder so no test touches
// the reader's checkpoints/. With hooks, MiniStack's own runner applies Part 7
// at start; without, the suite arranges the state and runs the hook itself.
export async function startHarness(options: {
  hooks: boolean
  privateEtc?: boolean
  env?: Record<string, string>
}): Promise<Harness> {
  const checkpoints = mkdtempSync(join(tmpdir(), 'kit-checkpoints-'))
  const emulator = await startMiniStack({
    hooks: options.hooks,
    privateEtc: options.privateEtc,
    env: { KIT_CHECKPOINTS_DIR: checkpoints, ...options.env },
  })
  const env = {
    AWS_ENDPOINT_URL: emulator.url,
    KIT_CHECKPOINTS_DIR: checkpoints,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
  }
  const config = {
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  }
  return {
    emulator,
    checkpoints,
    env,
    kms: new KMSClient(config),
    secrets: new SecretsManagerClient(config),
    lambda: new LambdaClient(config),
    hook: (extra = {}) => run('sh', [HOOK], { ...env, ...extra }),
    kit: (args, extra = {}) => run('node', [KIT, ...args], { ...env, ...extra }),
    async reset() {
      const response = await fetch(`${emulator.url}/_ministack/reset`, { method: 'POST' })
      if (!response.ok) throw new Error(`reset answered ${response.status}`)
      for (const file of readdirSync(checkpoints)) rmSync(join(checkpoints, file), { force: true })
    },
    async stop() {
      await emulator.stop()
      record(`emulator log ${emulator.logFile}`, readFileSync(emulator.logFile, 'utf8'))
      for (const file of readdirSync(checkpoints))
        record(`marker ${file}`, readFileSync(join(checkpoints, file), 'utf8'))
    },
  }
}

// The api_key values the tests handle; none may appear in any output.
export const SECRET_KEYS = new Set(['sk_test_4eC39HqLyjWDarjtT1zdp7dc'])

export function leakedSecrets(text = capturedOutput()): string[] {
  return [...SECRET_KEYS].filter((secret) => text.includes(secret))
}
