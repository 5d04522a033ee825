/** Proves the connection (and become) works with a plain shell: no python, no agent. */
import { ModuleFailure } from '../engine/errors.js'
import { defineModule } from './types.js'

export const ping = defineModule({
  name: 'ping',
  summary: 'Try to connect to the host and run a shell command',
  description: 'Runs `echo` on the host through the task connection (and become); ok with reason "pong" when it answers.',
  params: {
    data: { type: 'str', default: 'pong', description: "what to return as `ping`; 'crash' makes the module fail (as Ansible's)" },
  },
  returns: { ping: 'the value of `data` (pong)' },
  examples: `
- name: Can we reach the hosts?
  ping:
`,
  async plan(p, ctx) {
    if (p.data === 'crash') throw new ModuleFailure('boom (ping data=crash)')
    const out = await ctx.run({ argv: ['echo', 'pong'] })
    if (out.rc !== 0 || out.stdout.trim() !== 'pong') {
      throw new ModuleFailure(`the host did not answer the ping (rc ${out.rc}): ${(out.stderr || out.stdout).trim().slice(0, 300)}`)
    }
    return { kind: 'ok', reason: 'pong', data: { ping: p.data } }
  },
})
