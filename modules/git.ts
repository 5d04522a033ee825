/**
 * git: a checkout of a repository at a version (branch, tag, commit, or the remote's HEAD), as
 * Ansible's git module keeps one. ONE read answers whether anything is to do: the checkout's HEAD,
 * remote URL and local modifications, and `git ls-remote` of the version's refs. Converged (HEAD is
 * what the remote's version points at, nothing modified, the same URL, submodules in place) it is
 * ok without fetching; otherwise the apply clones or fetches and checks out as Ansible does.
 *
 * Effects: git.state(dest) becomes the checkout at the remote's commit, and path.stat(dest) a
 * directory, so later tasks in check mode see the clone.
 */
import { ModuleFailure } from '../engine/errors.js'
import { quote } from '../engine/connection/quote.js'
import { shlexSplit } from '../engine/connection/shlex.js'
import { gitState, type GitQuery, type GitState } from './facts/git.js'
import { defineModule, factKey, shScript, type Change, type Command, type Outcome, type Plan, type Unknowable } from './types.js'

type Kind = 'head' | 'branch' | 'tag' | 'sha'

/** What the version names on the remote, and the commit the checkout should be at (as Ansible's get_remote_head). */
export function remoteHead(st: GitState, version: string, cloning: boolean): { kind: Kind; sha?: string } {
  const r = st.remote
  if (version === 'HEAD') return { kind: 'head', sha: cloning ? r.HEAD : r[`refs/heads/${st.branch}`] }
  if (r[`refs/heads/${version}`]) return { kind: 'branch', sha: r[`refs/heads/${version}`] }
  if (r[`refs/tags/${version}`]) return { kind: 'tag', sha: r[`refs/tags/${version}^{}`] ?? r[`refs/tags/${version}`] }
  // a commit: what the clone resolves it to, or the string as given
  return { kind: 'sha', sha: st.localVersion ?? version }
}

/** GIT_SSH_COMMAND as Ansible builds it: BatchMode always, the key with IdentitiesOnly, host key options. */
export function gitSshCommand(p: { key_file?: string; ssh_opts?: string; accept_hostkey: boolean; accept_newhostkey: boolean }): string {
  let opts: string[]
  try {
    opts = p.ssh_opts ? shlexSplit(p.ssh_opts) : []
  } catch (e) {
    throw new ModuleFailure(`argument 'ssh_opts': ${(e as Error).message}`)
  }
  const has = (s: string) => opts.join(' ').includes(s)
  if (p.accept_hostkey && !has('StrictHostKeyChecking=')) opts.push('-o', 'StrictHostKeyChecking=no')
  if (p.accept_newhostkey && !has('StrictHostKeyChecking=')) opts.push('-o', 'StrictHostKeyChecking=accept-new')
  if (!has('BatchMode=yes')) opts.push('-o', 'BatchMode=yes')
  if (p.key_file) opts.push('-i', p.key_file, '-o', 'IdentitiesOnly=yes')
  return ['ssh', ...opts].map(quote).join(' ')
}

// The apply: clone or fetch, then check out the version, then submodules; prints the new HEAD.
// Positional: mode dest repo version remote kind depth bare force refspec reference single sepdir recursive git ssh umask seturl reset branch
const APPLY = `mode=$1 dest=$2 repo=$3 v=$4 r=$5 kind=$6 depth=$7 bare=$8 force=$9
refspec=\${10} reference=\${11} single=\${12} sepdir=\${13} recursive=\${14} git=\${15} seturl=\${17} reset=\${18} cur=\${19}
echo "forced=\${21}"
export LC_ALL=C GIT_SSH_COMMAND="\${16}" GIT_TERMINAL_PROMPT=0
[ -z "\${20}" ] || umask "\${20}"
set -e
if [ "$mode" = clone ]; then
  mkdir -p "\${dest%/*}"
  set -- clone
  if [ "$bare" = 1 ]; then set -- "$@" --bare; else set -- "$@" --origin "$r"; fi
  if [ -n "$depth" ]; then
    if [ "$kind" = head ] || [ -n "$refspec" ]; then set -- "$@" --depth "$depth"
    elif [ "$kind" = branch ] || [ "$kind" = tag ]; then set -- "$@" --depth "$depth" --branch "$v"; fi
  fi
  [ -z "$reference" ] || set -- "$@" --reference "$reference"
  if [ "$single" = 1 ]; then set -- "$@" --single-branch; case $kind in branch|tag) set -- "$@" --branch "$v" ;; esac; fi
  [ -z "$sepdir" ] || set -- "$@" "--separate-git-dir=$sepdir"
  "$git" "$@" -- "$repo" "$dest"
  cd "$dest"
  if [ "$bare" = 1 ] && [ "$r" != origin ]; then "$git" remote add "$r" "$repo"; fi
  if [ -n "$refspec" ]; then "$git" fetch \${depth:+--depth "$depth"} "$r" "$refspec"; fi
else
  cd "$dest"
  echo "before=$("$git" rev-parse HEAD)"
  [ "$reset" != 1 ] || "$git" reset --hard HEAD
  [ "$seturl" != 1 ] || "$git" remote set-url "$r" "$repo"
  set -- fetch
  refs=
  if [ -n "$depth" ]; then
    if [ -n "$refspec" ]; then refs=1; set -- "$@" --depth "$depth" "$r" "$refspec"
    elif [ "$kind" = head ]; then refs=1; set -- "$@" --depth "$depth" "$r" "$cur"
    elif [ "$kind" = branch ]; then refs=1; set -- "$@" --depth "$depth" "$r"; [ "$cur" = "$v" ] || set -- "$@" "+refs/heads/$v:refs/heads/$v"; set -- "$@" "+refs/heads/$v:refs/remotes/$r/$v"
    elif [ "$kind" = tag ]; then refs=1; set -- "$@" --depth "$depth" "$r" "+refs/tags/$v:refs/tags/$v"; fi
  fi
  if [ -z "$refs" ]; then
    if [ "$bare" = 1 ]; then set -- "$@" "$r" '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*'; else set -- "$@" --tags "$r"; fi
    [ -z "$refspec" ] || set -- "$@" "$refspec"
  fi
  [ "$force" != 1 ] || set -- "$@" --force
  "$git" "$@"
fi
if [ "$bare" != 1 ]; then
  case $kind in
    head)
      b=$("$git" symbolic-ref -q HEAD 2>/dev/null) || b=$("$git" symbolic-ref -q "refs/remotes/$r/HEAD")
      b=\${b#refs/heads/}; b=\${b#refs/remotes/$r/}
      "$git" checkout --force "$b"; "$git" reset --hard "$r/$b" -- ;;
    branch)
      if "$git" show-ref --verify -q "refs/heads/$v"; then "$git" checkout --force "$v"; "$git" reset --hard "$r/$v"
      else "$git" checkout --track -b "$v" "$r/$v"; fi ;;
    *) "$git" checkout --force "$v" ;;
  esac
  if [ "$recursive" = 1 ] && [ -f .gitmodules ]; then
    "$git" submodule sync
    if [ "$force" = 1 ]; then "$git" submodule update --init --recursive --force; else "$git" submodule update --init --recursive; fi
  fi
fi
echo "after=$("$git" rev-parse HEAD)"`

const unsupported = ['archive', 'archive_prefix', 'verify_commit', 'gpg_whitelist', 'track_submodules'] as const

export const git = defineModule({
  name: 'git',
  aliases: ['ansible.builtin.git'],
  summary: 'Deploy software (or files) from git checkouts',
  description:
    'Keeps a clone of `repo` at dest checked out at `version` (a branch, tag, commit, or HEAD: the remote default branch). One read decides: ' +
    'the checkout HEAD, remote URL and local changes, and `git ls-remote` of the version. Local changes to tracked files fail the task unless force. ' +
    'archive, verify_commit, gpg_whitelist and track_submodules are not supported yet.',
  params: {
    repo: { type: 'str', required: true, aliases: ['name'], description: 'git, SSH, or HTTP(S) URL (or a path) of the repository.' },
    dest: { type: 'path', description: 'The path of the checkout (required unless clone is no).' },
    version: { type: 'str', default: 'HEAD', description: 'A branch, tag or commit (full or abbreviated sha); HEAD: the remote default branch.' },
    remote: { type: 'str', default: 'origin', description: 'Name of the remote.' },
    refspec: { type: 'str', description: 'An additional refspec to fetch (e.g. refs/pull/*/head).' },
    reference: { type: 'str', description: 'A reference repository (git clone --reference).' },
    force: { type: 'bool', default: false, description: 'Discard local changes to tracked files (git reset --hard) instead of failing.' },
    depth: { type: 'int', description: 'Create a shallow clone with this many commits (HEAD, branches, tags, or with refspec).' },
    clone: { type: 'bool', default: true, description: 'false: do not clone a missing repository (only report the remote version).' },
    update: { type: 'bool', default: true, description: 'false: leave an existing checkout as it is.' },
    verify_commit: { type: 'bool', default: false, description: 'Verify the GPG signature of the commit: not supported yet (a task that sets it fails).' },
    gpg_whitelist: { type: 'list', elements: 'str', default: [], description: 'GPG fingerprints for verify_commit: not supported yet.' },
    accept_hostkey: { type: 'bool', default: false, description: 'Accept an unknown SSH host key of the repository host (StrictHostKeyChecking=no).' },
    accept_newhostkey: { type: 'bool', default: false, description: 'Accept a new SSH host key but not a changed one (StrictHostKeyChecking=accept-new).' },
    key_file: { type: 'path', description: 'The SSH private key on the host to use for the repository.' },
    ssh_opts: { type: 'str', description: 'More options for ssh, e.g. "-o ProxyJump=bastion" (split like a shell would).' },
    executable: { type: 'path', description: 'The git program to use.' },
    bare: { type: 'bool', default: false, description: 'A bare repository.' },
    recursive: { type: 'bool', default: true, description: 'Initialise and update submodules.' },
    single_branch: { type: 'bool', default: false, description: 'Clone only the history of the version (git clone --single-branch).' },
    track_submodules: { type: 'bool', default: false, description: 'Follow the submodules branches: not supported yet.' },
    umask: { type: 'raw', description: 'The umask for the git commands, an octal string such as "0022".' },
    archive: { type: 'path', description: 'Write an archive of the checkout: not supported yet.' },
    archive_prefix: { type: 'str', description: 'A prefix for archive members: not supported yet.' },
    separate_git_dir: { type: 'path', description: 'Put the git directory here (at clone time).' },
  },
  mutuallyExclusive: [
    ['separate_git_dir', 'bare'],
    ['accept_hostkey', 'accept_newhostkey'],
  ],
  requiredBy: { archive_prefix: ['archive'] },
  returns: {
    before: 'the commit before (null for a new clone)',
    after: 'the commit after',
    remote_url_changed: 'whether the remote URL was changed',
  },
  examples: `
- name: The DAGs repository at its release tag
  git:
    repo: https://git.example.com/data/dags.git
    dest: /usr/local/airflow/dags
    version: v2.3.0
    depth: 1
`,
  async plan(p, ctx): Promise<Plan> {
    for (const k of unsupported) {
      const v = p[k]
      if (v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)) throw new ModuleFailure(`argument ${k} is not supported by acplay yet`)
    }
    if (!p.dest && p.clone) throw new ModuleFailure('the destination directory must be specified unless clone=no')
    let umask = ''
    if (p.umask !== undefined) {
      if (typeof p.umask !== 'string') throw new ModuleFailure('umask must be defined as a quoted octal integer')
      if (!/^[0-7]{1,4}$/.test(p.umask)) throw new ModuleFailure('umask must be an octal integer')
      umask = p.umask
    }
    const dest = p.dest ? p.dest.replace(/(.)\/+$/, '$1') : ''
    const repo = p.repo.startsWith('/') ? `file://${p.repo}` : p.repo
    const q: GitQuery = {
      dest: dest || '/nonexistent',
      repo,
      version: p.version,
      remote: p.remote,
      bare: p.bare,
      git: p.executable ?? 'git',
      ssh: gitSshCommand(p),
    }
    const st = await ctx.fact(gitState, q)
    if (st.remoteError) throw new ModuleFailure(`Failed to read the remote ${repo}: ${st.remoteError}`)
    const cloning = !st.exists
    const target = remoteHead(st, p.version, cloning)
    if (target.sha === undefined || (target.kind === 'head' && !target.sha))
      throw new ModuleFailure(`Could not determine remote revision for ${p.version}`, { before: st.head ?? null })
    const after = target.sha
    // the checkout as the apply leaves it: on the branch (HEAD: the remote's default), detached otherwise
    const branch = target.kind === 'head' ? (cloning ? st.remoteHeadBranch : st.branch) : target.kind === 'branch' ? p.version : undefined
    const remoteAfter = branch ? { ...st.remote, [`refs/heads/${branch}`]: after } : st.remote
    const checkout: GitState = { ...st, exists: true, head: after, branch, url: repo, localMods: false, submodulesBehind: false, remote: remoteAfter }
    const effects = [
      { fact: 'git.state', key: factKey(gitState, [q]), value: checkout },
      { fact: 'path.stat', key: dest, value: { exists: true, type: 'directory' } },
    ]
    // check mode: the files of the checkout are unknown until it is made (engine/unknown.ts)
    const unknowns: Unknowable[] = [{ under: dest }]
    // forced: the change is certain whatever the commit turns out to be (local changes, URL, submodules)
    const apply = (mode: 'clone' | 'update', o: { seturl?: boolean; reset?: boolean; forced?: boolean } = {}): Command =>
      shScript(
        APPLY,
        mode,
        dest,
        repo,
        p.version,
        p.remote,
        target.kind,
        p.depth !== undefined ? String(p.depth) : '',
        p.bare ? '1' : '0',
        p.force ? '1' : '0',
        p.refspec ?? '',
        p.reference ?? '',
        p.single_branch ? '1' : '0',
        p.separate_git_dir ?? '',
        p.recursive ? '1' : '0',
        p.executable ?? 'git',
        q.ssh,
        o.seturl ? '1' : '0',
        o.reset ? '1' : '0',
        st.branch ?? '',
        umask,
        o.forced ? '1' : '0',
      )
    const diff = (before: string | undefined): Change['diff'] =>
      ctx.diff ? { path: dest, before: before ? `HEAD ${before}\n` : '', after: `HEAD ${after}\n` } : undefined
    if (cloning) {
      if (!p.clone)
        return {
          kind: 'change',
          changes: [{ summary: `${repo} is not cloned (clone=no); its ${p.version} is ${after}`, commands: [] }],
          data: { before: null, after },
        }
      return {
        kind: 'change',
        changes: [
          {
            summary: `clone ${repo} into ${dest} at ${p.version} (${after.slice(0, 12)})`,
            commands: [apply('clone')],
            diff: diff(undefined),
            effects,
            unknowns,
          },
        ],
        data: { before: null, after },
      }
    }
    const before = st.head ?? null
    if (!p.update) return { kind: 'ok', reason: `${dest} is a checkout at ${before} (update=no)`, data: { before, after: before } }
    if (st.localMods && !p.force) throw new ModuleFailure(`Local modifications exist in the destination: ${dest} (force=no).`, { before, after: before })
    const urlChanged = !!st.url && st.url !== repo
    const changed = before !== after || st.localMods || urlChanged || (p.recursive && st.submodulesBehind)
    if (!changed)
      return { kind: 'ok', reason: `${dest} is at ${p.version} (${after.slice(0, 12)}), nothing modified`, data: { before, after, remote_url_changed: false } }
    const why = [
      before !== after ? `${before?.slice(0, 12)} -> ${after.slice(0, 12)}` : '',
      st.localMods ? 'discard local changes' : '',
      urlChanged ? `remote URL ${st.url} -> ${repo}` : '',
      p.recursive && st.submodulesBehind ? 'update submodules' : '',
    ].filter(Boolean)
    return {
      kind: 'change',
      changes: [
        {
          summary: `update ${dest} to ${p.version} (${why.join(', ')})`,
          commands: [apply('update', { seturl: urlChanged, reset: st.localMods, forced: st.localMods || urlChanged || (p.recursive && st.submodulesBehind) })],
          diff: diff(before ?? undefined),
          effects,
          unknowns,
        },
      ],
      data: { before, after, remote_url_changed: urlChanged, ...(st.localMods ? { msg: `Local modifications exist in the destination: ${dest}` } : {}) },
    }
  },
  interpret(_p, out): Outcome {
    if (out.rc === 0 && out.stdout === '') return { failed: false } // clone=no: nothing ran
    const after = /^after=([0-9a-f]{40})$/m.exec(out.stdout)?.[1]
    if (out.rc !== 0 || !after) return { failed: true, msg: (out.stderr.trim() || `git failed (rc ${out.rc})`).split('\n').slice(-10).join('\n') }
    const before = /^before=([0-9a-f]{40})$/m.exec(out.stdout)?.[1]
    // an abbreviated commit could only be resolved by the fetch: it may be where the checkout was
    const changed = before !== after || /^forced=1$/m.test(out.stdout)
    return { failed: false, changed, msg: changed ? undefined : `${after} was checked out already`, data: { after } }
  },
})
