/**
 * A checkout and its remote in ONE round trip: whether dest holds a repository, its HEAD, branch,
 * remote URL, local modifications and submodule state, and `git ls-remote` of the refs the wanted
 * version can name (HEAD, the branch, the tag and its peeled commit), as Ansible's git module asks
 * them one command at a time.
 */
import { shScript, type Fact } from '../types.js'

export interface GitQuery {
  dest: string
  /** the URL (a local path already made file://) */
  repo: string
  version: string
  remote: string
  bare: boolean
  git: string
  /** GIT_SSH_COMMAND */
  ssh: string
}

export interface GitState {
  exists: boolean
  head?: string
  /** the branch HEAD is on (or, detached, the branch of REMOTE/HEAD) */
  branch?: string
  url?: string
  /** tracked files changed (untracked ones do not count, as in Ansible) */
  localMods: boolean
  /** a submodule missing or at another commit than the superproject records */
  submodulesBehind: boolean
  /** the version resolved locally (a sha or ref the clone already has) */
  localVersion?: string
  /** refname -> sha, from ls-remote */
  remote: Record<string, string>
  /** the branch the remote's HEAD points at */
  remoteHeadBranch?: string
  /** ls-remote failed: why */
  remoteError?: string
}

// positional: dest repo version remote bare git ssh
const SCRIPT = `dest=$1 repo=$2 v=$3 r=$4 bare=$5 git=$6
export LC_ALL=C GIT_SSH_COMMAND="$7" GIT_TERMINAL_PROMPT=0
if [ "$bare" = 1 ]; then gd=$dest; elif [ -f "$dest/.git" ]; then gd=$(sed -n 's/^gitdir: //p' "$dest/.git"); case $gd in /*) ;; *) gd=$dest/$gd ;; esac; else gd=$dest/.git; fi
b=
if [ -e "$gd/config" ]; then
  echo exists=1
  cd "$dest" || exit 1
  echo "head=$("$git" rev-parse HEAD 2>/dev/null)"
  b=$("$git" symbolic-ref -q HEAD 2>/dev/null) || b=$("$git" symbolic-ref -q "refs/remotes/$r/HEAD" 2>/dev/null)
  b=\${b#refs/heads/}; b=\${b#refs/remotes/$r/}
  echo "branch=$b"
  echo "url=$("$git" config --get "remote.$r.url")"
  echo "local=$("$git" rev-parse --verify -q "$v^{commit}" 2>/dev/null)"
  if [ "$bare" != 1 ]; then
    echo "mods=$("$git" status --porcelain 2>/dev/null | grep -vc '^??')"
    if [ -f .gitmodules ]; then
      s=0
      for p in $("$git" config -f .gitmodules --get-regexp '^submodule\\..*\\.path$' | cut -d' ' -f2); do [ -e "$p/.git" ] || s=1; done
      "$git" submodule status 2>/dev/null | grep -q '^[^ ]' && s=1
      echo "subs=$s"
    fi
  fi
else
  echo exists=0
fi
set -- HEAD "refs/heads/$v" "refs/tags/$v" "refs/tags/$v^{}"
[ -n "$b" ] && set -- "$@" "refs/heads/$b"
if out=$("$git" ls-remote --symref "$repo" "$@" 2>&1); then printf '%s\\n' "$out" | sed 's/^/ref=/'; else printf '%s\\n' "$out" | tr '\\n' ' ' | sed 's/^/lserror=/'; echo; fi`

export const gitState: Fact<GitState, [GitQuery]> = {
  name: 'git.state',
  key: (q) => JSON.stringify([q.dest, q.repo, q.version, q.remote, q.bare]),
  command: (q) => shScript(SCRIPT, q.dest, q.repo, q.version, q.remote, q.bare ? '1' : '0', q.git, q.ssh),
  parse(out, q) {
    if (out.rc !== 0) throw new Error(`cannot read the repository at ${q.dest}: ${out.stderr.trim() || `rc ${out.rc}`}`)
    const st: GitState = { exists: false, localMods: false, submodulesBehind: false, remote: {} }
    for (const line of out.stdout.split('\n')) {
      const i = line.indexOf('=')
      if (i < 0) continue
      const [k, v] = [line.slice(0, i), line.slice(i + 1)]
      if (k === 'exists') st.exists = v === '1'
      else if (k === 'head') st.head = v || undefined
      else if (k === 'branch') st.branch = v || undefined
      else if (k === 'url') st.url = v || undefined
      else if (k === 'local') st.localVersion = v || undefined
      else if (k === 'mods') st.localMods = Number(v) > 0
      else if (k === 'subs') st.submodulesBehind = v === '1'
      else if (k === 'lserror') st.remoteError = v.trim()
      else if (k === 'ref') {
        const [sha, ref] = v.split('\t')
        if (sha?.startsWith('ref: ') && ref === 'HEAD') st.remoteHeadBranch = sha.slice(5).replace(/^refs\/heads\//, '')
        else if (sha && ref) st.remote[ref] = sha
      }
    }
    return st
  },
}
