import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { RunContext } from '../../../engine/run/context.js'
import { promptedVars } from '../../../engine/run/vars-prompt.js'
import type { Play } from '../../../engine/playbook/types.js'
import { Masker } from '../../../engine/secrets.js'
import { unsafeKeys } from '../../../engine/vars/unsafe.js'

const pos = { file: 'site.yml', line: 3, col: 7 }

test("vars_prompt: without a terminal each entry takes its default; an unsafe one's is marked never to be templated", async () => {
  const rc = { opts: { extraVars: { given: 'x' } }, masker: new Masker() } as unknown as RunContext
  const play = {
    vars_prompt: [
      { name: 'raw', default: '{{ nope }}', private: false, unsafe: true, pos },
      { name: 'plain', default: "{{ 'templated' }}", private: false, pos },
      { name: 'given', default: 'unused', private: false, pos },
    ],
  } as unknown as Play
  const out = await promptedVars(rc, play, false)
  assert.deepEqual(Object.entries(out), [
    ['raw', '{{ nope }}'],
    ['plain', "{{ 'templated' }}"],
  ])
  assert.deepEqual([...(unsafeKeys(out) ?? [])], ['raw'])
})
