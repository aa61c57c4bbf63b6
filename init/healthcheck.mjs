// Compose healthcheck: an emulator is healthy once every ready hook has run and
// none failed. Both emulators call their hooks done even when one failed, so the
// HTTP status alone would pass a half-built checkpoint.
//
//   node init/healthcheck.mjs localstack|ministack [url]   (url: http://127.0.0.1:4566)
//
// Exit 0 healthy, 1 not. The one line printed is the reason; Docker keeps it in
// `docker inspect --format '{{json .State.Health}}' CONTAINER`. No imports: it
// runs inside the emulator images, with their own node.

const [kind, url = 'http://127.0.0.1:4566'] = process.argv.slice(2)
const base = url.replace(/\/+$/, '')

// Shorter than the compose timeout, so a hung emulator still gets a reason printed.
const REQUEST_TIMEOUT_MS = 3000

async function getJson(path) {
  const response = await fetch(`${base}${path}`, {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  const body = await response.json().catch(() => undefined)
  return { status: response.status, body }
}

const healthy = (reason) => ({ ok: true, reason })
const unhealthy = (reason) => ({ ok: false, reason })

// LocalStack answers 200 at every point and sets `completed` once the ready
// stage has run, failed hooks included.
async function localstack() {
  const { status, body } = await getJson('/_localstack/init/ready')
  if (status !== 200) return unhealthy(`init/ready answered HTTP ${status}`)
  if (body?.completed !== true) return unhealthy('ready hooks still running')

  const scripts = Array.isArray(body.scripts) ? body.scripts : []
  const hooks = scripts.filter((hook) => String(hook?.stage).toUpperCase() === 'READY')
  if (hooks.length === 0) return unhealthy('no ready hook ran: is init/ready.d mounted?')
  const bad = hooks.filter((hook) => hook.state !== 'SUCCESSFUL')
  if (bad.length > 0) {
    return unhealthy(`ready hook ${bad.map((hook) => `${hook.name} ${hook.state}`).join(', ')}`)
  }
  return healthy(`${hooks.length} ready hook(s) SUCCESSFUL`)
}

// MiniStack answers 503 until its hooks are done, then 200 with counts, where a
// failed hook counts as done.
async function ministack() {
  const { status, body } = await getJson('/_ministack/ready')
  if (status !== 200) return unhealthy(`ready hooks still running (HTTP ${status})`)

  const { total, completed, failed } = body ?? {}
  if (failed !== 0) return unhealthy(`${failed ?? 'unknown'} ready hook(s) failed: see the logs`)
  if (!(total > 0)) return unhealthy('no ready hook ran: is init/ready.d mounted?')
  if (completed !== total) return unhealthy(`${completed} of ${total} ready hooks completed`)
  return healthy(`${total} ready hook(s) completed`)
}

const checks = { localstack, ministack }

if (!Object.hasOwn(checks, kind)) {
  console.log('usage: node healthcheck.mjs localstack|ministack [url]')
  process.exit(1)
}

try {
  const { ok, reason } = await checks[kind]()
  console.log(`${kind} ${ok ? 'healthy' : 'not healthy'}: ${reason}`)
  process.exitCode = ok ? 0 : 1
} catch (error) {
  // Refused or timed out: the emulator is still starting, or gone.
  console.log(`${kind} not healthy: no answer from ${base} (${error.cause?.code ?? error.name})`)
  process.exitCode = 1
}
