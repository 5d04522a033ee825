/**
 * --step: before each task, "Perform task: TASK: name (N)o/(y)es/(c)ontinue: ", as Ansible's
 * strategy asks (_take_step): y runs it, c runs it and stops asking, anything else skips it on
 * every host. Asked on the terminal, else one line of stdin each (so answers can be piped).
 */
import { optionError } from '../errors.js'
import type { TaskRef } from '../report/types.js'
import { readPipedLine } from '../vault/prompt.js'
import type { RunContext } from './context.js'
import { ask } from './vars-prompt.js'

export async function stepAllows(rc: RunContext, ref: TaskRef): Promise<boolean> {
  if (!rc.stepping) return true
  const name = ref.role && !ref.name.includes(ref.role) ? `${ref.role} : ${ref.name}` : ref.name
  const answer = (await askLine(`Perform task: TASK: ${name} (N)o/(y)es/(c)ontinue: `))?.trim().toLowerCase()
  if (answer === undefined) throw optionError(`--step: the input ended before an answer for task '${name}'`)
  if (answer === 'c' || answer === 'continue') rc.stepping = false
  return answer === 'y' || answer === 'yes' || answer === 'c' || answer === 'continue'
}

async function askLine(question: string): Promise<string | undefined> {
  if (process.stdin.isTTY) return ask(question, false)
  process.stderr.write(`${question}\n`)
  return readPipedLine()
}
