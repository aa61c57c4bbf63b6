// Static checks on what runs outside TypeScript: the ready hooks, the compose
// file and the CI workflows. The linters come pinned from requirements.txt, so
// every machine judges these files the same way; a failure shows the tool's output.

import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ensureVenv, venvBin } from '../scripts/emulator.js'
import { projectRoot } from '../scripts/lib/paths.js'

const root = projectRoot()
const hooksDir = join(root, 'init', 'ready.d')
const hooks = readdirSync(hooksDir)
  .filter((name) => name.endsWith('.sh'))
  .sort()
const composeFile = join(root, 'docker-compose.yml')
const workflowsDir = join(root, '.github', 'workflows')

function run(command: string, args: string[]): { code: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`
  return { code: result.status, output }
}

function validate(schema: string, file: string): void {
  const { code, output } = run(venvBin('check-jsonschema'), ['--builtin-schema', schema, file])
  assert.is(code, 0, `${file} does not match ${schema}:\n${output}`)
}

test.before(async () => {
  await ensureVenv()
})

test('init/ready.d holds at least one hook', () => {
  assert.ok(hooks.length > 0, `no *.sh in ${hooksDir}`)
})

test('every hook parses with sh -n', () => {
  for (const hook of hooks) {
    const { code, output } = run('sh', ['-n', join(hooksDir, hook)])
    assert.is(code, 0, `${hook}:\n${output}`)
  }
})

// MiniStack runs hooks as `sh FILE` whatever their shebang says, and its sh is
// busybox ash: POSIX sh is the only dialect both emulators share.
test('every hook passes shellcheck as POSIX sh', () => {
  for (const hook of hooks) {
    const { code, output } = run(venvBin('shellcheck'), ['-s', 'sh', join(hooksDir, hook)])
    assert.is(code, 0, `${hook}:\n${output}`)
  }
})

// LocalStack executes a hook as a program: no shebang is "Exec format error".
test('every hook starts with #!/bin/sh', () => {
  for (const hook of hooks) {
    const firstLine = readFileSync(join(hooksDir, hook), 'utf8').split('\n')[0]
    assert.is(firstLine, '#!/bin/sh', `${hook} starts with ${JSON.stringify(firstLine)}`)
  }
})

// A bind mount keeps the host's mode, and a clone takes it from git: both count.
test('every hook is executable, on disk and in git', () => {
  for (const hook of hooks) {
    const path = join(hooksDir, hook)
    assert.ok((statSync(path).mode & 0o111) !== 0, `${hook} has no run bit: chmod +x ${path}`)

    const { code, output } = run('git', ['ls-files', '--stage', '--', path])
    const gitMode = code === 0 ? output.split(' ')[0] : ''
    if (gitMode) {
      assert.is(gitMode, '100755', `${hook} is ${gitMode} in git: git update-index --chmod=+x`)
    }
  }
})

// A CR after the shebang makes LocalStack look for "/bin/sh\r" and fail.
test('no hook contains a carriage return', () => {
  for (const hook of hooks) {
    const text = readFileSync(join(hooksDir, hook), 'utf8')
    assert.not.ok(text.includes('\r'), `${hook} has CR characters: convert it to LF`)
  }
})

test('docker-compose.yml matches the compose specification', () => {
  validate('vendor.compose-spec', composeFile)
})

test('docker-compose.yml defaults LocalStack to 4.14.0, the last tag without an account', () => {
  const compose = readFileSync(composeFile, 'utf8')
  const tag = /image:\s*["']?localstack\/localstack:\$\{LOCALSTACK_TAG:-([^}]+)\}/.exec(compose)
  assert.ok(tag, 'no localstack/localstack:${LOCALSTACK_TAG:-...} image in docker-compose.yml')
  assert.is(tag[1], '4.14.0')
})

test('docker-compose.yml pins the MiniStack image to the version in requirements.txt', () => {
  const compose = readFileSync(composeFile, 'utf8')
  const requirements = readFileSync(join(root, 'requirements.txt'), 'utf8')
  const image = /image:\s*["']?ministackorg\/ministack:([\w.-]+)/.exec(compose)
  const pinned = /^ministack==(\S+)$/m.exec(requirements)
  assert.ok(image, 'no ministackorg/ministack:VERSION image in docker-compose.yml')
  assert.ok(pinned, 'no ministack==VERSION line in requirements.txt')
  assert.is(image[1], pinned[1])
})

// A missing source is not an error to compose: Docker creates an empty folder
// there, and the emulator starts without its hook or healthcheck.
test('every project path docker-compose.yml mounts exists', () => {
  const compose = readFileSync(composeFile, 'utf8')
  const sources = [...compose.matchAll(/^\s*-\s*["']?\.\/([^:"']+):/gm)].map((match) => match[1])
  assert.ok(sources.length > 0, 'no ./ bind mount found in docker-compose.yml')
  for (const source of sources) {
    assert.ok(
      existsSync(join(root, source)),
      `docker-compose.yml mounts ./${source}, which is missing`,
    )
  }
})

test('every workflow in .github/workflows matches the GitHub workflow schema', () => {
  const workflows = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name))
  assert.ok(workflows.length > 0, `no workflow in ${workflowsDir}`)
  for (const workflow of workflows)
    validate('vendor.github-workflows', join(workflowsDir, workflow))
})

test('the TypeScript and hook scripts are formatted (prettier --check)', () => {
  const prettier = join(root, 'node_modules', '.bin', 'prettier')
  const { code, output } = run(prettier, [
    '--check',
    'scripts',
    'handler',
    'test',
    'bench',
    'init/healthcheck.mjs',
    'bin',
  ])
  assert.is(code, 0, `run npm run format:\n${output}`)
})

test.run()
