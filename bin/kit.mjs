#!/usr/bin/env node
// `npx kit …`: the built CLI. npm ci builds dist/ through the prepare script.
import { main } from '../dist/kit.mjs'

process.exitCode = await main(process.argv.slice(2))
