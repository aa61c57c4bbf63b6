// MiniStack without Docker: a pinned copy in .venv/, started on a port of our
// choosing, with the kit's ready hooks run the way the emulator runs them.
// `npm run up:local` and the tests both start the emulator through this file.

import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { $ } from 'zx'
import { projectRoot } from './lib/paths.js'

const root = projectRoot()
const venv = join(root, '.venv')
export const venvBin = (tool: string) => join(venv, 'bin', tool)

// Creates .venv/ and installs requirements.txt into it, once per version of
// that file: a stamp holds the hash of what was installed.
export async function ensureVenv(
  dir = venv,
  requirements = join(root, 'requirements.txt'),
): Promise<void> {
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex')
  const stamp = join(dir, '.kit-requirements')
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return

  const python = process.env.PYTHON || 'python3'
  console.error(
    `[kit] installing ${requirements.replace(`${root}/`, '')} into ${dir.replace(`${root}/`, '')} (once)`,
  )
  await $({ quiet: true })`${python} -m venv ${dir}`
  await $({
    quiet: true,
  })`${join(dir, 'bin', 'pip')} install --quiet --disable-pip-version-check -r ${requirements}`
  writeFileSync(stamp, wanted)
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface Emulator {
  url: string
  port: number
  logFile: string
  hooksBy: 'ministack' | 'kit' | 'none'
  process: ChildProcess
  stop(): Promise<void>
}

// MiniStack reads its hooks only from fixed folders under /etc and /. On Linux
// the kit gives the emulator a private view of /etc (a mount namespace and an
// overlay) in which /etc/localstack/init/ready.d links to our init/ready.d, so
// MiniStack's own runner runs them: no root, and nothing written to /etc.
const MOUNT_ETC = 'mount -t overlay overlay -o "lowerdir=$1:/etc" /etc && exec "$2"'

function inPrivateEtc(top: string, program: string): string[] {
  return ['unshare', '--mount', '--map-root-user', 'sh', '-c', MOUNT_ETC, 'sh', top, program]
}

// The layer laid over /etc: just localstack/init/ready.d, a link to the hooks.
function overlayTop(hooksDir: string, port: number): string {
  const top = join(root, '.kit', `etc-${port}`)
  const init = join(top, 'localstack', 'init')
  mkdirSync(init, { recursive: true })
  rmSync(join(init, 'ready.d'), { force: true })
  symlinkSync(hooksDir, join(init, 'ready.d'))
  return top
}

// Some systems refuse unprivileged user namespaces (Ubuntu's AppArmor policy)
// or overlays inside them (kernels before 5.11): try the very mount first.
async function canUsePrivateEtc(top: string): Promise<boolean> {
  if (process.platform !== 'linux' || process.env.KIT_NO_NAMESPACE) return false
  const [command, ...args] = inPrivateEtc(top, 'true')
  try {
    await $({ quiet: true })`${command} ${args}`
    return true
  } catch {
    return false
  }
}

interface StartOptions {
  port?: number
  hooks?: boolean // run init/ready.d once the emulator is up (default true)
  hooksDir?: string
  env?: Record<string, string>
  foreground?: boolean // share this terminal instead of writing a log file
  privateEtc?: boolean // false: run the hooks from the kit even where MiniStack could
}

async function untilReady(
  url: string,
  child: ChildProcess,
  seconds: number,
): Promise<Record<string, number>> {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`MiniStack exited with code ${child.exitCode} before it was ready`)
    try {
      const response = await fetch(`${url}/_ministack/ready`, { signal: AbortSignal.timeout(1000) })
      if (response.ok) return (await response.json()) as Record<string, number>
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`MiniStack at ${url} was not ready within ${seconds} s`)
}

// Runs each hook as MiniStack would (sh FILE, sorted, with the same variables),
// for systems where the emulator cannot be shown our folder.
async function runHooksLikeMiniStack(
  hooksDir: string,
  url: string,
  env: Record<string, string>,
  log: 'inherit' | number,
) {
  const hooks = readdirSync(hooksDir)
    .filter((name) => name.endsWith('.sh'))
    .sort()
  for (const hook of hooks) {
    const path = join(hooksDir, hook)
    await $({
      env: { ...process.env, ...env, AWS_ENDPOINT_URL: url, MINISTACK_INIT_SCRIPT_PATH: path },
      stdio: ['ignore', log, log],
    })`sh ${path}`
  }
  return hooks.length
}

export async function startMiniStack(options: StartOptions = {}): Promise<Emulator> {
  await ensureVenv()
  const port = options.port ?? (await freePort())
  const url = `http://127.0.0.1:${port}`
  const hooksDir = options.hooksDir ?? join(root, 'init', 'ready.d')
  const wantHooks = options.hooks ?? true
  const top = overlayTop(hooksDir, port)
  const namespaced = wantHooks && options.privateEtc !== false && (await canUsePrivateEtc(top))

  mkdirSync(join(root, '.kit'), { recursive: true })
  const logFile = join(root, '.kit', `ministack-${port}.log`)
  const log = options.foreground ? 'inherit' : openSync(logFile, 'w')

  // The hooks run with test credentials and the region, as MiniStack gives
  // them; the MQTT listener is off so that several emulators can run at once.
  const env = {
    ...process.env,
    GATEWAY_PORT: String(port),
    IOT_MTLS_ENABLED: '0',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...options.env,
  }
  const command = namespaced ? inPrivateEtc(top, venvBin('ministack')) : [venvBin('ministack')]
  const child = spawn(command[0], command.slice(1), {
    env,
    stdio: ['ignore', log, log],
    detached: true,
  })

  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    try {
      process.kill(-child.pid!, 'SIGTERM') // the whole group: Lambda workers too
    } catch {
      return
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        /* gone */
      }
    }, 3000)
    await exited
    clearTimeout(timer)
  }

  try {
    const ready = await untilReady(url, child, 60)
    let hooksBy: Emulator['hooksBy'] = 'none'
    if (wantHooks && namespaced) {
      if (ready.failed) throw new Error(`a ready hook failed: see ${logFile}`)
      hooksBy = 'ministack'
    } else if (wantHooks) {
      await runHooksLikeMiniStack(hooksDir, url, env as Record<string, string>, log)
      hooksBy = 'kit'
    }
    return { url, port, logFile, hooksBy, process: child, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
