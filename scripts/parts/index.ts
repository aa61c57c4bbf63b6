// The parts the kit knows, and the order to apply them in.

import { BadInputError } from '../lib/errors.js'
import type { Part } from './part.js'
import { part7 } from './part-07/index.js'

export const parts: Part[] = [part7]

export function findPart(raw: string | number): Part {
  const number = Number(raw)
  const part = parts.find((candidate) => candidate.number === number)
  if (!part) {
    const known = parts.map((candidate) => candidate.number).join(', ')
    throw new BadInputError(`unknown part "${raw}": the kit knows part ${known}`)
  }
  return part
}

// A part and everything it needs, earlier parts first, each once.
export function planFor(target: Part): Part[] {
  const plan: Part[] = []
  const visit = (part: Part, path: number[]) => {
    if (path.includes(part.number)) {
      throw new BadInputError(
        `parts ${[...path, part.number].join(' -> ')} need each other in a loop`,
      )
    }
    for (const need of part.needs) visit(findPart(need), [...path, part.number])
    if (!plan.includes(part)) plan.push(part)
  }
  visit(target, [])
  return plan
}
