/**
 * Password prompts. On a terminal the answer is read with echo off (raw mode on stdin, the prompt
 * on stderr); from a pipe, one line per prompt (so `echo pw | acplay run --ask-vault-pass` works,
 * as Python's getpass falls back to stdin).
 */
import { vaultError } from './vault.js'

let pipeLines: { lines: string[]; ended: boolean; waiting: (() => void)[] } | undefined

function pipeReader() {
  if (pipeLines) return pipeLines
  const state = { lines: [] as string[], ended: false, waiting: [] as (() => void)[], partial: '' }
  const wake = () => {
    for (const w of state.waiting.splice(0)) w()
  }
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk: string) => {
    const parts = (state.partial + chunk).split('\n')
    state.partial = parts.pop()!
    state.lines.push(...parts.map((l) => l.replace(/\r$/, '')))
    wake()
  })
  process.stdin.on('end', () => {
    if (state.partial) state.lines.push(state.partial)
    state.ended = true
    wake()
  })
  pipeLines = state
  return state
}

/** One line of piped stdin; undefined at its end. */
export async function readPipedLine(): Promise<string | undefined> {
  const r = pipeReader()
  process.stdin.resume()
  while (r.lines.length === 0 && !r.ended) await new Promise<void>((res) => r.waiting.push(res))
  process.stdin.pause()
  return r.lines.shift()
}

function readHidden(question: string): Promise<string | undefined> {
  const stdin = process.stdin
  // echo off before the question shows: what is typed after it is never echoed
  stdin.setRawMode(true)
  process.stderr.write(question)
  return new Promise((resolve, reject) => {
    let answer = ''
    const done = (value: string | undefined, err?: Error) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (err) reject(err)
      else resolve(value)
    }
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(answer)
        if (ch === '\u0003') return done(undefined, vaultError('interrupted at the vault password prompt'))
        if (ch === '\u0004') return done(answer === '' ? undefined : answer)
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1)
        else answer += ch
      }
    }
    stdin.resume()
    stdin.on('data', onData)
  })
}

/** Asks once; undefined on end of input (Ctrl-D). */
export const askPassword = (question: string): Promise<string | undefined> => (process.stdin.isTTY ? readHidden(question) : readPipedLine())
