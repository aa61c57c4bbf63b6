// init/healthcheck.mjs run as compose runs it, a child process, against a local
// server that answers in each emulator's readiness shape. What is tested is the
// script's reading of those answers, not the emulators.

import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { run } from './support/emulator.js'

const SCRIPT = fileURLToPath(new URL('../init/healthcheck.mjs', import.meta.url))
const LOCALSTACK_READY = '/_localstack/init/ready'
const MINISTACK_READY = '/_ministack/ready'

// What the fake emulator answers, by path; any other path gets a 404.
const answers = new Map<string, { status: number; body: unknown }>()
let server: Server
let url: string

function answer(path: string, body: unknown, status = 200): void {
  answers.clear()
  answers.set(path, { status, body })
}

async function listen(): Promise<Server> {
  const fake = createServer((request, response) => {
    const reply = answers.get(request.url ?? '') ?? { status: 404, body: { error: 'no such path' } }
    response.writeHead(reply.status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(reply.body))
  })
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve))
  return fake
}

const urlOf = (fake: Server) => `http://127.0.0.1:${(fake.address() as AddressInfo).port}`

async function healthcheck(kind: string, target = url) {
  const { code, stdout, stderr } = await run(process.execPath, [SCRIPT, kind, target], {})
  return { code, output: stdout + stderr }
}

const hook = (name: string, state: string) => ({ stage: 'READY', name, state })

test.before(async () => {
  server = await listen()
  url = urlOf(server)
})

test.after(() => new Promise<void>((resolve) => server.close(() => resolve())))

test('localstack: healthy once completed with every ready hook SUCCESSFUL', async () => {
  answer(LOCALSTACK_READY, {
    completed: true,
    scripts: [hook('01-other.sh', 'SUCCESSFUL'), hook('07-part7-secrets.sh', 'SUCCESSFUL')],
  })
  const { code, output } = await healthcheck('localstack')
  assert.is(code, 0, output)
})

test('localstack: unhealthy when completed but one ready hook is ERROR, and names it', async () => {
  answer(LOCALSTACK_READY, {
    completed: true,
    scripts: [hook('01-other.sh', 'SUCCESSFUL'), hook('07-part7-secrets.sh', 'ERROR')],
  })
  const { code, output } = await healthcheck('localstack')
  assert.is(code, 1, output)
  assert.match(output, '07-part7-secrets.sh ERROR')
})

test('localstack: unhealthy while the ready stage is not completed', async () => {
  answer(LOCALSTACK_READY, { completed: false, scripts: [hook('07-part7-secrets.sh', 'RUNNING')] })
  const { code, output } = await healthcheck('localstack')
  assert.is(code, 1, output)
})

test('localstack: unhealthy when completed with no ready hook at all', async () => {
  answer(LOCALSTACK_READY, { completed: true, scripts: [] })
  const { code, output } = await healthcheck('localstack')
  assert.is(code, 1, output)
})

test('ministack: unhealthy while /_ministack/ready answers 503', async () => {
  answer(MINISTACK_READY, { status: 'running', total: 1, completed: 0, failed: 0 }, 503)
  const { code, output } = await healthcheck('ministack')
  assert.is(code, 1, output)
})

test('ministack: unhealthy on 200 when a hook failed', async () => {
  answer(MINISTACK_READY, { status: 'completed', total: 1, completed: 1, failed: 1 })
  const { code, output } = await healthcheck('ministack')
  assert.is(code, 1, output)
})

test('ministack: healthy on 200 with every hook completed and none failed', async () => {
  answer(MINISTACK_READY, { status: 'completed', total: 1, completed: 1, failed: 0 })
  const { code, output } = await healthcheck('ministack')
  assert.is(code, 0, output)
})

test('ministack: unhealthy on 200 when no hook was found', async () => {
  answer(MINISTACK_READY, { status: 'completed', total: 0, completed: 0, failed: 0 })
  const { code, output } = await healthcheck('ministack')
  assert.is(code, 1, output)
})

test("each kind asks its own emulator's path, not the other's", async () => {
  answer(MINISTACK_READY, { status: 'completed', total: 1, completed: 1, failed: 0 })
  assert.is((await healthcheck('localstack')).code, 1)
  answer(LOCALSTACK_READY, {
    completed: true,
    scripts: [hook('07-part7-secrets.sh', 'SUCCESSFUL')],
  })
  assert.is((await healthcheck('ministack')).code, 1)
})

test('unhealthy when nothing listens at the url', async () => {
  const gone = await listen()
  const target = urlOf(gone)
  await new Promise<void>((resolve) => gone.close(() => resolve()))
  const { code, output } = await healthcheck('ministack', target)
  assert.is(code, 1, output)
  assert.match(output, 'no answer')
})

test('an unknown emulator kind exits 1 with the usage', async () => {
  const { code, output } = await healthcheck('moto')
  assert.is(code, 1)
  assert.match(output, 'usage:')
})

test.run()
