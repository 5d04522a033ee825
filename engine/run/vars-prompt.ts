/**
 * vars_prompt: each value comes from -e first, then a terminal (asked once per run; a private
 * answer is not echoed and is masked like any secret), then the entry's default. With no terminal
 * and neither, the run stops with an error naming the entry's file:line. With `encrypt`, an answer
 * or default (not a -e value, as in Ansible) becomes its crypt hash.
 */
import { createInterface } from 'node:readline'
import { playbookError } from '../errors.js'
import type { Play, VarsPrompt } from '../playbook/types.js'
import { randomSalt } from '../crypt.js'
import { templatePasswordHash } from '../vars/filters-hash.js'
import type { RunContext } from './context.js'
import { setEntry } from '../vars/unsafe.js'

/** Reads one line from the terminal (the question on stderr); `hidden`: what is typed is not shown. */
export async function ask(question: string, hidden: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  const out = rl as unknown as { _writeToOutput?: (s: string) => void }
  let asked = false
  if (hidden) {
    const write = out._writeToOutput?.bind(rl)
    out._writeToOutput = (s: string) => {
      if (!asked) write?.(s)
    }
  }
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, resolve)
      asked = true
    })
  } finally {
    if (hidden) process.stderr.write('\n')
    rl.close()
  }
}

async function answer(p: VarsPrompt): Promise<string> {
  const question = `${p.prompt ?? p.name}${p.default !== undefined ? ` [${String(p.default)}]` : ''}: `
  for (;;) {
    const first = await ask(question, p.private)
    const value = first === '' && p.default !== undefined ? String(p.default) : first
    if (!p.confirm) return value
    if ((await ask(`confirm ${question}`, p.private)) === first) return value
    process.stderr.write('***** VALUES ENTERED DO NOT MATCH ****\n')
  }
}

/** The answer hashed as Ansible's do_encrypt does (passlib: the given salt, or a random one of salt_size). */
function encrypted(p: VarsPrompt, answer: string): string {
  const salt = p.salt ?? (p.saltSize !== undefined ? randomSalt(p.saltSize) : null)
  try {
    return templatePasswordHash(answer, p.encrypt!, salt, null)
  } catch (e) {
    throw playbookError(`vars_prompt '${p.name}': ${(e as Error).message}`, p.pos)
  }
}

/** The play's prompted variables (play vars precedence), for the entries -e does not give. */
export async function promptedVars(rc: RunContext, play: Play, tty = !!process.stdin.isTTY): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const p of play.vars_prompt ?? []) {
    if (Object.hasOwn(rc.opts.extraVars ?? {}, p.name)) continue
    let value: unknown
    if (tty) value = await answer(p)
    else if (p.default !== undefined) value = p.default
    else
      throw playbookError(
        `vars_prompt '${p.name}' needs a value: there is no terminal to ask on; pass it with -e ${p.name}=... or give the prompt a default`,
        p.pos,
      )
    if (p.private && typeof value === 'string') rc.masker.add(value)
    if (p.encrypt) {
      value = encrypted(p, String(value))
      // the hash of a private answer is kept from the output too (the password lookup's rule)
      if (p.private) rc.masker.add(value)
    }
    // `unsafe: true`: the answer is never templated (engine/vars/unsafe.ts)
    setEntry(out, p.name, value, !!p.unsafe)
  }
  return out
}
