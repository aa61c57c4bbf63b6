// Builds what the hooks and the emulators run: the kit as one ES module that
// plain `node` loads with no node_modules beside it, and each Lambda handler
// as a deterministic zip.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { codeSha256, deterministicZip } from './lib/zip.js'
import { projectRoot } from './lib/paths.js'

const root = projectRoot()
const dist = join(root, 'dist')
mkdirSync(dist, { recursive: true })

// Handlers run on nodejs22.x. The SDK is bundled in: MiniStack provides none,
// and a pinned copy keeps AWS_ENDPOINT_URL handling the same everywhere.
export const handlers = ['use-secret', 'rotate-secret']

async function bundleHandler(name: string): Promise<Uint8Array> {
  const out = await build({
    entryPoints: [join(root, 'handler', name, 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    // ES module builds of the SDK shake out more unused code than CommonJS ones.
    mainFields: ['module', 'main'],
    write: false,
  })
  return out.outputFiles[0].contents
}

for (const name of handlers) {
  const zip = deterministicZip({ 'index.js': await bundleHandler(name) })
  writeFileSync(join(dist, `${name}.zip`), zip)
  console.log(`dist/${name}.zip  ${(zip.length / 1024).toFixed(1)} KB  ${codeSha256(zip)}`)
}

// The kit itself. A banner gives bundled CommonJS code a require() to call.
const kit = await build({
  entryPoints: [join(root, 'scripts', 'kit.ts')],
  outfile: join(dist, 'kit.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  legalComments: 'none',
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as kitRequire } from 'node:module'; const require = kitRequire(import.meta.url);",
  },
  metafile: true,
})
const bytes = Object.values(kit.metafile.outputs)[0].bytes
console.log(`dist/kit.mjs  ${(bytes / 1024).toFixed(1)} KB`)
