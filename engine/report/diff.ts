/**
 * A Change.diff as text, like `ansible-playbook --diff`: attribute lines first
 * (`--- before: mode 0644` / `+++ after: mode 0600`), then a unified diff of the content under
 * `before: PATH` / `after: PATH` headers. Secrets never reach here (the runner drops their diffs).
 */
import { createTwoFilesPatch } from 'diff'
import type { FileDiff } from '../../modules/types.js'

export function renderFileDiff(d: FileDiff, context = 3): string {
  const out: string[] = []
  for (const [attr, [before, after]] of Object.entries(d.attrs ?? {})) {
    out.push(`--- before: ${attr} ${before}`, `+++ after: ${attr} ${after}`)
  }
  if (d.before !== d.after) {
    const patch = createTwoFilesPatch(`before: ${d.path}`, `after: ${d.path}`, d.before, d.after, undefined, undefined, { context })
    // drop the "=====" banner line the diff package puts first, and the trailing empty line
    const lines = patch.split('\n').filter((l) => !/^=+$/.test(l))
    while (lines.length && lines[lines.length - 1] === '') lines.pop()
    out.push(...lines)
  }
  return out.length ? `${out.join('\n')}\n` : ''
}
