/**
 * When the plain output prints a task's banner: at the task's start under linear; under free with a
 * result whose task is not the last banner's (Ansible's default callback, `_last_task_banner`).
 * A polled job's ASYNC lines come before that banner. The e2e comparisons with ansible-playbook are
 * task-headers-ansible and async-free-ansible.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Writable } from 'node:stream'
import { plainReporter } from '../../../engine/report/plain.js'
import type { HostResult, TaskRef } from '../../../engine/report/types.js'

const task = (name: string, line: number, handler = false): TaskRef => ({ name, pos: { file: '/p/site.yml', line, col: 7 }, handler })
const ok = (host: string, t: TaskRef, more: Partial<HostResult> = {}): HostResult => ({ host, task: t, status: 'ok', changes: [], durationMs: 1, ...more })

function lines(free: boolean, drive: (r: ReturnType<typeof plainReporter>) => void): string[] {
  let text = ''
  const out = new Writable({
    write(chunk, _enc, done) {
      text += chunk
      done()
    },
  })
  const r = plainReporter({ out })
  r.onPlayStart?.({ name: 'p', hosts: ['a', 'b'], ...(free ? { free } : {}) })
  drive(r)
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('PLAY'))
    .map((l) => l.replace(/ \*+$/, ''))
}

describe('task banners', () => {
  const one = task('one', 3)
  const two = task('two', 4)
  const h = task('h', 9, true)

  it('linear: each task starts with its banner, results or not', () => {
    const got = lines(false, (r) => {
      r.onTaskStart?.(one, ['a'])
      r.onTaskStart?.(two, ['a'])
      r.onHostResult?.(ok('a', two))
    })
    assert.deepEqual(got, ['TASK [one]', 'TASK [two]', 'ok: [a]'])
  })

  it("free: a banner before a result of another task than the last banner's, none at a task's start", () => {
    const got = lines(true, (r) => {
      r.onTaskStart?.(one, ['a'])
      r.onHostResult?.(ok('a', one))
      r.onTaskStart?.(one, ['b'])
      r.onHostResult?.(ok('b', { ...one }))
      r.onTaskStart?.(two, ['a'])
      r.onHostResult?.(ok('a', two))
      r.onTaskStart?.(two, ['b'])
      r.onTaskStart?.(h, ['a'])
      // a handler's loop items: named RUNNING HANDLER as it started
      r.onItemResult?.(ok('a', { ...h, handler: false }, { item: '1' }))
      r.onHostResult?.(ok('a', h, { items: 1 }))
      r.onHostResult?.(ok('b', two))
    })
    assert.deepEqual(got, ['TASK [one]', 'ok: [a]', 'ok: [b]', 'TASK [two]', 'ok: [a]', 'RUNNING HANDLER [h]', 'ok: [a] => (item=1)', 'TASK [two]', 'ok: [b]'])
  })

  it("free: a polled job's ASYNC lines before the banner its result brings, as the callback prints them", () => {
    const polled = (jid: string, unfinished: number) => ({ status: 'changed' as const, polled: { jid, unfinished, failed: false } })
    const got = lines(true, (r) => {
      r.onHostResult?.(ok('a', one))
      r.onHostResult?.(ok('a', two, polled('j1', 1)))
      r.onItemResult?.(ok('b', two, { ...polled('j2', 0), item: '1' }))
    })
    assert.deepEqual(got, [
      'TASK [one]',
      'ok: [a]',
      'ASYNC POLL on a: jid=j1 started=1 finished=0',
      'ASYNC OK on a: jid=j1',
      'TASK [two]',
      'changed: [a]',
      'ASYNC OK on b: jid=j2',
      'changed: [b] => (item=1)',
    ])
  })

  it('free: a result that prints nothing prints no banner', () => {
    const got = lines(true, (r) => {
      r.onTaskStart?.(one, ['a'])
      r.onHostResult?.(ok('a', one, { items: 0, status: 'ok' }))
    })
    assert.deepEqual(got, [])
  })
})
