// Where the kit's own files live. The hook may be reached through a bind
// mount or a link, so nothing here trusts the current directory.

import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Walks up from this module to the folder holding package.json: that is the
// project both from the bundle (dist/kit.mjs) and from source under tsx.
export function projectRoot(): string {
  if (process.env.KIT_HOME) return process.env.KIT_HOME
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the kit folder: set KIT_HOME')
    dir = parent
  }
  return dir
}

export function distPath(file: string): string {
  return join(projectRoot(), 'dist', file)
}

// Tests point this elsewhere so they never touch a reader's own markers.
export function checkpointsDir(): string {
  return process.env.KIT_CHECKPOINTS_DIR || join(projectRoot(), 'checkpoints')
}
