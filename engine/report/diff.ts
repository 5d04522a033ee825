/**
 * A Change.diff as text, like `ansible-playbook --diff`: attribute lines first
 * (`--- before: mode 0644` / `+++ after: mode 0600`), then a unified diff of the content under
 * `before: PATH` / `after: PATH` headers, as Python's difflib makes it (difflib.ts). Secrets never reach here (the runner drops their diffs).
 */
import { contentDiffLines } from './difflib.js'
import type { FileDiff } from '../../modules/types.js'

export function renderFileDiff(d: FileDiff, context = 3): string {
  const out: string[] = []
  for (const [attr, [before, after]] of Object.entries(d.attrs ?? {})) {
    out.push(`--- before: ${attr} ${before}`, `+++ after: ${attr} ${after}`)
  }
  if (d.before !== d.after) {
    out.push(...contentDiffLines(d.path, d.before, d.after, context))
  }
  return out.length ? `${out.join('\n')}\n` : ''
}
