// The kit command as a reader meets it: help that reads well, exit codes as
// documented, and no colour codes when the output is not a terminal. None of
// these reach an emulator.

import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { KIT, run } from './support/emulator.js'

const SUBCOMMANDS = [
  'apply',
  'up',
  'status',
  'smoke',
  'reset',
  'rotate',
  'rollback',
  'kms',
  'bench',
]
const kit = (args: string[]) => run('node', [KIT, ...args], { NO_COLOR: undefined })

test('kit --help lists every subcommand and the exit codes', async () => {
  const help = await kit(['--help'])
  assert.is(help.code, 0)
  for (const name of SUBCOMMANDS.filter((name) => name !== 'up')) {
    assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'))
  }
  assert.match(help.stdout, /Exit codes: 0 ok, 1 failed, 2 bad input/)
})

test('kit with no command shows the help and exits 2', async () => {
  const bare = await kit([])
  assert.is(bare.code, 2)
  assert.match(bare.stdout, /usage: kit <command>/)
})

for (const name of SUBCOMMANDS) {
  test(`kit ${name} --help shows its usage and options, and exits 0`, async () => {
    const help = await kit([name, '--help'])
    assert.is(help.code, 0, help.stderr)
    assert.match(help.stdout, /^kit \w+/)
    assert.match(help.stdout, /--help/)
    assert.match(help.stdout, /Exit codes: 0 ok, 1 failed, 2 bad input/)
    for (const line of help.stdout.split('\n')) assert.ok(line.length <= 100, line)
  })
}

test('off a terminal the output carries no colour codes', async () => {
  const help = await kit(['--help'])
  const refused = await kit(['apply', '--part', '9'])
  assert.not.match(help.stdout + refused.stdout + refused.stderr, /\u001b\[/)
})

test('kit kms without encrypt or decrypt is bad input', async () => {
  const result = await kit(['kms', 'wrap', '--text', 'x'])
  assert.is(result.code, 2)
  assert.match(result.stderr, /say kit kms encrypt or kit kms decrypt/)
})

test('kit rotate refuses --token with --value, and --cache-ttl must be whole seconds', async () => {
  const both = await kit(['rotate', '--value', '{"api_key":"x"}', '--token', 't'])
  assert.is(both.code, 2)
  assert.match(both.stderr, /--token goes with a Lambda rotation/)
  const ttl = await kit(['apply', '--cache-ttl', '1.5'])
  assert.is(ttl.code, 2)
  assert.match(ttl.stderr, /not a whole number of seconds/)
})

test('a value given without its option name is refused without being repeated', async () => {
  const value = '{"api_key":"sk_live_StrayPositional_4kQ8zP"}'
  for (const args of [
    ['rotate', value],
    ['apply', '--part', '7', value],
  ]) {
    const result = await kit(args)
    assert.is(result.code, 2)
    assert.match(result.stderr, /takes no bare arguments; did you leave out an option name\?/)
    assert.not.ok((result.stdout + result.stderr).includes('sk_live_StrayPositional'))
  }
})

test.run()
