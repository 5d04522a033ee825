/**
 * slurp: a file's content from the host, base64-encoded (`content | b64decode`). Read-only; in
 * check mode a file an earlier (unapplied) task would write with known text is read as that text.
 */
import { ModuleFailure } from '../engine/errors.js'
import { fileBytes, unreadableMessage } from './facts/file-bytes.js'
import type { PathStat } from './facts/path.js'
import { defineModule } from './types.js'

export const slurp = defineModule({
  name: 'slurp',
  aliases: ['ansible.builtin.slurp'],
  summary: 'Slurps a file from remote nodes',
  description: 'Returns the content of a file on the host, base64-encoded. Never changes anything. Memory use grows with the file: meant for small files.',
  params: {
    src: { type: 'path', required: true, aliases: ['path'], description: 'The file on the remote system to fetch. This must be a file, not a directory.' },
  },
  returns: { content: 'the content, base64-encoded', encoding: "always 'base64'", source: 'the path that was read' },
  examples: `
- slurp:
    src: /etc/airflow/fernet_key
  register: key
- debug:
    msg: "{{ key.content | b64decode }}"
`,
  async plan(p, ctx) {
    const earlier = ctx.effect('path.stat', p.src) as PathStat | undefined
    const text = (ctx.effect('path.content', p.src) as { text?: string } | undefined)?.text
    if (earlier?.exists && earlier.type === 'file' && text !== undefined) {
      const content = Buffer.from(text).toString('base64')
      return {
        kind: 'ok',
        reason: `read ${p.src} (${Buffer.byteLength(text)} bytes) as an earlier task would write it`,
        data: { content, source: p.src, encoding: 'base64' },
      }
    }
    if (earlier && !earlier.exists) throw new ModuleFailure(`${unreadableMessage('missing', p.src)} (an earlier task would remove it)`)
    const read = await ctx.fact(fileBytes, p.src)
    if (!read.ok) throw new ModuleFailure(unreadableMessage(read.reason, p.src))
    return {
      kind: 'ok',
      reason: `read ${p.src} (${read.content.length} bytes)`,
      data: { content: read.content.toString('base64'), source: p.src, encoding: 'base64' },
    }
  },
})
