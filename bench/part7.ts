// npm run bench: the kit's Part 7 hook against the article's own CLI steps,
// side by side on one MiniStack, cold and warm. Prints a table, writes
// bench/results.json. It reports numbers; no test asserts a time.

import { cpus, totalmem } from 'node:os'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { $ } from 'zx'
import { type Emulator, ensureVenv, startMiniStack } from '../scripts/emulator.js'
import { projectRoot } from '../scripts/lib/paths.js'

const root = projectRoot()
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS) || 5)
const benchVenv = join(root, '.venv-bench')
const scratch = mkdtempSync(join(tmpdir(), 'kit-bench-'))

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function envFor(emulator: Emulator) {
  return {
    ...process.env,
    PATH: `${join(benchVenv, 'bin')}:${process.env.PATH}`,
    AWS_ENDPOINT_URL: emulator.url,
    LOCALSTACK_HOST: `127.0.0.1:${emulator.port}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    KIT_CHECKPOINTS_DIR: scratch,
    NO_COLOR: '1',
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await run()
  return performance.now() - started
}

async function reset(emulator: Emulator) {
  await fetch(`${emulator.url}/_ministack/reset`, { method: 'POST' })
}

const hook = (emulator: Emulator) => () =>
  $({ env: envFor(emulator), quiet: true })`sh ${join(root, 'init/ready.d/07-part7-secrets.sh')}`
const manualSteps = (emulator: Emulator) => () =>
  $({ env: envFor(emulator), quiet: true })`sh ${join(root, 'bench/article/steps.sh')} ${scratch}`
const checkpointScript = (emulator: Emulator) => () =>
  $({ env: envFor(emulator), quiet: true })`sh ${join(root, 'bench/article/checkpoint.sh')}`

// Runs a and b in turns (a, b, a, b, ...) so that drift in the machine's load
// falls on both alike; `before` sets the emulator up for each run.
async function sideBySide(
  before: () => Promise<unknown>,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
) {
  const times = { a: [] as number[], b: [] as number[] }
  for (let run = 0; run < RUNS; run++) {
    await before()
    times.a.push(await timed(a))
    await before()
    times.b.push(await timed(b))
  }
  return times
}

console.error("[bench] preparing: the pinned emulator and the article's awslocal")
await ensureVenv()
await ensureVenv(benchVenv, join(root, 'bench/requirements.txt'))
await $({ quiet: true })`npx tsx ${join(root, 'scripts/build.ts')}`

const emulator = await startMiniStack({ hooks: false })

try {
  // The first Lambda call loads the emulator's Lambda module; time it once.
  const moduleLoad = await timed(() => fetch(`${emulator.url}/2015-03-31/functions/`))

  console.error(`[bench] cold: ${RUNS} runs each, emulator reset before every run`)
  const cold = await sideBySide(() => reset(emulator), manualSteps(emulator), hook(emulator))

  // The kit reports how long it only waited for new functions to turn Active:
  // MiniStack holds each one Pending for a fixed half second.
  const emulatorWait: number[] = []
  for (let run = 0; run < RUNS; run++) {
    await reset(emulator)
    const { stderr } = await $({
      env: { ...envFor(emulator), KIT_TIMINGS: '1' },
      quiet: true,
    })`sh ${join(root, 'init/ready.d/07-part7-secrets.sh')}`
    emulatorWait.push(JSON.parse(stderr.match(/timings (\{.*\})/)![1]).emulatorWaitMs)
  }

  console.error(`[bench] warm: ${RUNS} runs each, everything already there`)
  await reset(emulator)
  await hook(emulator)()
  await manualSteps(emulator)().catch(() => undefined) // leaves the article's state in place too
  const warm = await sideBySide(async () => undefined, checkpointScript(emulator), hook(emulator))

  const zipBytes = statSync(join(root, 'dist/use-secret.zip')).size
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      ministack: readFileSync(join(root, 'requirements.txt'), 'utf8').match(
        /ministack==(\S+)/,
      )?.[1],
    },
    runs: RUNS,
    coldMs: {
      articleSteps: median(cold.a),
      kitHook: median(cold.b),
      emulatorWait: median(emulatorWait),
      kitOwnShare: median(cold.b) - median(emulatorWait),
      all: { articleSteps: cold.a, kitHook: cold.b, emulatorWait },
    },
    warmMs: {
      checkpointScript: median(warm.a),
      kitHook: median(warm.b),
      all: { checkpointScript: warm.a, kitHook: warm.b },
    },
    lambdaModuleLoadMs: moduleLoad,
    useSecretZipBytes: zipBytes,
  }
  writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`)

  const row = (name: string, theirs: number, ours: number) =>
    `| ${name.padEnd(6)} | ${theirs.toFixed(0).padStart(9)} | ${ours.toFixed(0).padStart(8)} | ${(theirs / ours).toFixed(1).padStart(5)}x |`
  console.log(
    `Part 7 on MiniStack ${results.machine.ministack}, median of ${RUNS} runs, wall time in ms`,
  )
  console.log('| case   | article ms | kit ms | ratio |')
  console.log('|--------|-----------:|-------:|------:|')
  console.log(row('cold', results.coldMs.articleSteps, results.coldMs.kitHook))
  console.log(row('warm', results.warmMs.checkpointScript, results.warmMs.kitHook))
  console.log('')
  console.log(
    `cold kit hook: ${results.coldMs.kitHook.toFixed(0)} ms, of which waiting for new functions ` +
      `to turn Active ${results.coldMs.emulatorWait.toFixed(0)} ms; the kit's own share ` +
      `${results.coldMs.kitOwnShare.toFixed(0)} ms`,
  )
  console.log(`emulator's Lambda module, loaded once on first use: ${moduleLoad.toFixed(0)} ms`)
  console.log(`use-secret.zip: ${(zipBytes / 1024).toFixed(1)} KB`)
  console.log('written to bench/results.json')
} finally {
  await emulator.stop()
}
