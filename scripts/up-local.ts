// npm run up:local: the no-Docker path. MiniStack from PyPI on port 4566 (or
// KIT_PORT), the kit's ready hooks run by it, and the emulator kept in the
// foreground until Ctrl-C, as `docker compose up` would.

import { startMiniStack } from './emulator.js'

const port = Number(process.env.KIT_PORT || 4566)
const started = performance.now()

let emulator
try {
  emulator = await startMiniStack({ port, foreground: true })
} catch (error) {
  console.error(
    `[kit] up:local: ${(error as Error).message}; is port ${port} busy? set KIT_PORT to use another`,
  )
  process.exit(1)
}

const took = ((performance.now() - started) / 1000).toFixed(1)
const runner = emulator.hooksBy === 'ministack' ? 'by MiniStack' : 'by the kit, as MiniStack would'
console.error(`[kit] ready in ${took} s at ${emulator.url}; hooks run ${runner}. Ctrl-C stops it.`)
console.error(`[kit] in another terminal: AWS_ENDPOINT_URL=${emulator.url} npm run smoke`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await emulator.stop()
    process.exit(0)
  })
}
emulator.process.on('exit', (code) => process.exit(code ?? 1))
