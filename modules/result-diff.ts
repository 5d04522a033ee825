/**
 * The `diff` key of a registered result, as Ansible 2.14's modules return it whether or not --diff
 * is on (the strategy registers it; only the -v output drops it). Its shape is each module's own:
 * - file (and copy or template whose content is already right: their action runs file then): one
 *   dict, `before`/`after` each with `path`, `state` when it changes, `owner`/`group` (ids) and
 *   `mode` when they change;
 * - copy, template writing new content: a list, empty without --diff, else one entry with the old
 *   text (`before_header` the dest, when it existed) and the new (`after_header` its source);
 * - lineinfile, blockinfile: a list of the content entry (the texts only under --diff, changed or
 *   not: Plan.texts) and the file attributes entry (`mode` when it changes).
 * Content a module marks secret (vault, `secret: true`) is never put in it.
 */
import type { Change, EditTexts } from './types.js'

type Diff = Record<string, unknown>

/** Ansible's state names: acplay's diffs say `symlink -> src`, `hard link -> src`, a file, directory or absent. */
const stateName = (s: string) => {
  const name = s.replace(/ -> .*$/, '')
  return name.startsWith('hard') ? 'hard' : /link$/.test(name) ? 'link' : name
}

/** The diff of a module that has one in Ansible, else undefined (then the result has no `diff`). */
export function resultDiff(
  mod: string,
  params: Record<string, unknown>,
  changes: readonly Change[],
  diffMode: boolean,
  data: Record<string, unknown>,
  /** texts: Plan.texts; found: the path's info as the plan read it (Plan.pathInfo), `data` holding it after the change */
  plan: { texts?: EditTexts; found?: Record<string, unknown> } = {},
): Diff | Diff[] | undefined {
  switch (mod) {
    case 'file':
      return fileDiff(params, changes, data, plan.found)
    case 'copy':
    case 'template':
      return writeDiff(params, changes, diffMode, data, plan.found)
    case 'lineinfile':
    case 'blockinfile':
      return editDiff(params, changes, diffMode, data, plan.texts)
    default:
      return undefined
  }
}

/**
 * file's initial_diff plus what set_fs_attributes_if_different adds: owner and group as numeric ids
 * (before: as the plan read the path; after: its stat once the change ran, so not in check mode),
 * mode; touch's times are left out.
 */
function fileDiff(
  params: Record<string, unknown>,
  changes: readonly Change[],
  data: Record<string, unknown>,
  found?: Record<string, unknown>,
): Diff | undefined {
  const path = String(data.path ?? data.dest ?? params.path ?? params.dest)
  const attrs = Object.assign({}, ...changes.map((c) => c.diff?.attrs ?? {})) as Record<string, [string, string]>
  // an absent path left absent: ensure_absent returns no diff
  if (params.state === 'absent' && !attrs.state) return undefined
  const before: Diff = { path }
  const after: Diff = { path }
  if (params.state === 'touch') {
    before.state = attrs.state ? stateName(attrs.state[0]) : 'file'
    after.state = 'touch'
  } else if (attrs.state && stateName(attrs.state[0]) !== stateName(attrs.state[1])) {
    before.state = stateName(attrs.state[0])
    after.state = stateName(attrs.state[1])
  }
  for (const [attr, id] of [
    ['owner', 'uid'],
    ['group', 'gid'],
  ] as const) {
    if (attrs[attr] && typeof found?.[id] === 'number' && typeof data[id] === 'number' && found[id] !== data[id]) {
      before[attr] = found[id]
      after[attr] = data[id]
    }
  }
  if (attrs.mode) {
    before.mode = attrs.mode[0]
    after.mode = attrs.mode[1]
  }
  return { before, after }
}

/** copy/template: new content is the copy module's list; the same content goes through file. */
function writeDiff(
  params: Record<string, unknown>,
  changes: readonly Change[],
  diffMode: boolean,
  data: Record<string, unknown>,
  found?: Record<string, unknown>,
): Diff | Diff[] | undefined {
  // a tree, or a copy on the host: Ansible's diffs there are not modelled
  if (params.remote_src === true || changes.filter((c) => c.upload).length > 1) return undefined
  const write = changes.find((c) => c.upload)
  if (!write) return fileDiff({ ...params, state: undefined }, changes, { ...data, path: data.dest ?? params.dest }, found)
  if (!diffMode || write.upload?.secret || !write.diff) return []
  const d = write.diff
  const entry: Diff = {}
  if (d.attrs?.state?.[0] !== 'absent') entry.before_header = d.path
  entry.before = d.before
  // Ansible's names the source file, or its local temp file of `content` or a rendered template
  entry.after_header = write.upload?.source?.path ?? String(params.src ?? 'dynamically generated')
  entry.after = d.after
  return [entry]
}

/** lineinfile/blockinfile: [content, file attributes]; a file that is not there gets no diff. */
function editDiff(
  params: Record<string, unknown>,
  changes: readonly Change[],
  diffMode: boolean,
  data: Record<string, unknown>,
  texts: EditTexts | undefined,
): Diff[] | undefined {
  const path = String(params.path ?? params.dest)
  const content = changes.find((c) => c.upload)
  const attrs = Object.assign({}, ...changes.map((c) => c.diff?.attrs ?? {})) as Record<string, [string, string]>
  // nothing to edit (state: absent on a missing file): Ansible's "file not present" has no diff
  if (!content && /not present$/.test(String(data.msg ?? ''))) return undefined
  // the content as written, else (unchanged) the texts the module read: Ansible's show the file twice
  const shown = !diffMode ? undefined : content ? (content.diff && !content.upload?.secret ? content.diff : undefined) : texts
  const first: Diff = {
    before: shown?.before ?? '',
    after: shown?.after ?? '',
    before_header: `${path} (content)`,
    after_header: `${path} (content)`,
  }
  const second: Diff = {}
  if (attrs.mode) {
    second.before = { mode: attrs.mode[0] }
    second.after = { mode: attrs.mode[1] }
  }
  second.before_header = `${path} (file attributes)`
  second.after_header = `${path} (file attributes)`
  return [first, second]
}
