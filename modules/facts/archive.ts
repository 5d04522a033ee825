/**
 * unarchive's question, answered on the host in ONE script: is the archive already unpacked in
 * dest? The archive is the host's file (remote_src), a URL the script downloads, or the
 * controller's file sent along on stdin; it is kept only as a temp file for the read.
 *   - the handler, as Ansible picks it: zip (unzip lists it), else tar with -z, else plain tar
 *     (GNU tar reads bz2, xz and zstd itself then);
 *   - the members (`tar --list` / zip names), exclude applied;
 *   - tar: `tar --diff`, counting the differences Ansible counts (missing files, mode unless
 *     `mode` is given, owner/group when root and none given, mod time) plus content, size and
 *     link target; zip: python3's zipfile against the files (missing, type, size, CRC, mode);
 *   - how many members lack the wanted owner, group or mode.
 */
import { PATH_RESULT_SH, pathResult } from '../files/path-result.js'
import { shScript, type Command } from '../types.js'

export interface ArchiveQuery {
  /** the archive on the host, a URL (remote_src), or '-': read from stdin */
  src: string
  dest: string
  excludes: string[]
  includes: string[]
  extraOpts: string[]
  keepNewer: boolean
  owner: string
  group: string
  /** octal or '' */
  mode: string
  /** curl options and config for a URL src */
  curlArgs: string[]
  curlConfig: string
}

export interface ArchiveState {
  error?: string
  /** the archive on the host (a temp file for a URL or a controller archive) */
  src?: string
  /** apply: the extraction's exit code and output */
  rc?: number
  out?: string
  err?: string
  handler?: string
  /** tar's compression flag for the handler ('' none) */
  flag?: string
  files: string[]
  /** the differences found (empty: unpacked already) */
  diff: string[]
  /** members whose owner, group or mode differ from the wanted ones */
  attrs: number
  /** dest does not exist (the check listed the archive only) */
  noDest?: boolean
  /** Ansible's path fields of dest */
  destFields: Record<string, unknown>
}

// Zip members against dest, in Python (zipfile is there; unzip cannot compare): one line per difference.
const ZIP_DIFF = `
import os, stat, sys, zlib, zipfile
src, dest, want_mode, excl = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
import fnmatch
z = zipfile.ZipFile(src)
for i in z.infolist():
    n = i.filename
    if any(fnmatch.fnmatch(n, e) for e in excl): continue
    p = os.path.join(dest, n)
    try: st = os.lstat(p)
    except OSError:
        print('%s: missing' % n); continue
    unix = i.external_attr >> 16
    if n.endswith('/'):
        if not stat.S_ISDIR(st.st_mode): print('%s: not a directory' % n)
        continue
    if stat.S_ISLNK(unix):
        if not stat.S_ISLNK(st.st_mode) or os.readlink(p) != z.read(i).decode(): print('%s: link differs' % n)
        continue
    if not stat.S_ISREG(st.st_mode): print('%s: not a file' % n); continue
    if st.st_size != i.file_size: print('%s: size differs' % n); continue
    crc = 0
    with open(p, 'rb') as f:
        for b in iter(lambda: f.read(65536), b''): crc = zlib.crc32(b, crc)
    if crc & 0xffffffff != i.CRC: print('%s: content differs' % n)
    elif unix and not want_mode and stat.S_IMODE(unix) != stat.S_IMODE(st.st_mode): print('%s: mode differs' % n)
`

// op (check|apply) handler flag src dest keep owner group mode, then counted lists: excludes, includes, extra_opts; then the curl config and options
const SCRIPT = `op=$1 handler=$2 flag=$3 src=$4 dest=$5 keep=$6 own=$7 grp=$8 perm=$9; shift 9
n=$1; shift; excl=; xf=; i=0; while [ $i -lt $n ]; do excl="$excl
$1"; xf="$xf
--exclude=$1"; shift; i=$((i+1)); done
n=$1; shift; incl=; i=0; while [ $i -lt $n ]; do incl="$incl
$1"; shift; i=$((i+1)); done
n=$1; shift; opts=; i=0; while [ $i -lt $n ]; do opts="$opts
$1"; shift; i=$((i+1)); done
[ -z "$opts" ] || opts="--show-transformed-names$opts"
cfg=$1; shift
export LC_ALL=C
nodest=; if [ ! -d "$dest" ]; then [ "$op" = check ] || { echo "error=dest '$dest' must be an existing dir"; exit 0; }; nodest=1; echo nodest=1; fi
tmp=; trap 'rm -f "$tmp"' EXIT
case $src in
  -) tmp=$(mktemp) && base64 -d > "$tmp" || exit 1; src=$tmp ;;
  *://*) tmp=$(mktemp) || exit 1
    printf '%s' "$cfg" | curl -K - "$@" -f -o "$tmp" 2>"$tmp.err" || { echo "error=Failure downloading $src, $(tr '\\n' ' ' < "$tmp.err")"; rm -f "$tmp.err"; exit 0; }
    rm -f "$tmp.err"; src=$tmp ;;
esac
if [ ! -e "$src" ]; then echo "error=Source '$src' does not exist"; exit 0; fi
if [ ! -r "$src" ]; then echo "error=Source '$src' not readable"; exit 0; fi
if [ ! -s "$src" ]; then echo "error=Invalid archive '$src', the file is 0 bytes"; exit 0; fi
echo "src=$src"
[ -n "$nodest" ] || ( set -- "$dest"; ${PATH_RESULT_SH} )
# the lists are one word per line; patterns stay unexpanded
IFS='
'
set -f
if [ "$op" = check ]; then
  if list=$(unzip -Z1 "$src" 2>/dev/null); then
    handler=ZipArchive
  elif list=$(tar --list -z $opts $xf -f "$src" $incl 2>/dev/null); then
    handler=TgzArchive flag=-z
  elif list=$(tar --list $opts $xf -f "$src" $incl 2>&1); then
    handler=TarArchive
  else
    echo "error=Failed to find handler for \\"$src\\". Make sure the required command to extract the file is installed. $(printf '%s' "$list" | tr '\\n' ' ')"; exit 0
  fi
  [ -n "$list" ] || { echo "error=Failed to find handler for \\"$src\\": the archive has no files."; exit 0; }
  echo "handler=$handler"; echo "flag=$flag"
  printf '%s\\n' "$list" | sed 's/^/file=/'
  [ -z "$nodest" ] || exit 0
  if [ $handler = ZipArchive ]; then
    python3 -c '${ZIP_DIFF.replace(/'/g, `'"'"'`)}' "$src" "$dest" "$perm" $excl | sed 's/^/diff=/'
  else
    set --
    [ "$keep" = 1 ] && set -- --keep-newer-files
    root=0; [ "$(id -u)" = 0 ] && root=1
    ( cd "$dest" && tar --diff -C "$dest" $flag $opts $xf "$@" -f "$src" $incl 2>&1 ) | while IFS= read -r line; do
      case $line in
        *': : Warning: Cannot stat: No such file or directory') ;;
        *': Uid differs') [ $root = 1 ] && [ -z "$own" ] && echo "diff=$line" ;;
        *': Gid differs') [ $root = 1 ] && [ -z "$grp" ] && echo "diff=$line" ;;
        *': Mode differs') [ -z "$perm" ] && echo "diff=$line" ;;
        *': Mod time differs'|*'Cannot stat: No such file or directory'|*': Invalid owner'|*': Invalid group'|*': Contents differ'|*': Size differs'|*': Symlink differs'|*': File type differs') echo "diff=$line" ;;
      esac
    done
  fi
else
  set --
  [ "$keep" = 1 ] && set -- --keep-newer-files
  if [ $handler = ZipArchive ]; then
    set -- -o $opts "$src" $incl
    [ -z "$excl" ] || set -- "$@" -x $excl
    out=$(unzip "$@" -d "$dest" 2>"$dest/.acplay-unarchive.err"); rc=$?
    list=$(unzip -Z1 "$src")
  else
    out=$(tar --extract -C "$dest" $flag $opts $xf "$@" -f "$src" $incl 2>"$dest/.acplay-unarchive.err"); rc=$?
    list=$(tar --list $flag $opts $xf -f "$src" $incl)
  fi
  echo "rc=$rc"
  printf 'out='; printf '%s' "$out" | base64 -w0; echo
  printf 'err='; base64 -w0 < "$dest/.acplay-unarchive.err"; echo; rm -f "$dest/.acplay-unarchive.err"
  [ $rc = 0 ] || exit 0
  ( set -- "$dest"; ${PATH_RESULT_SH} )
fi
set +f
unset IFS
# the members and their top directories, as Ansible sets attributes on both
paths() { printf '%s\\n' "$list" | while IFS= read -r f; do f=\${f%/}; [ -n "$f" ] || continue; printf '%s/%s\\0' "$dest" "$f"; case $f in */*) printf '%s/%s\\0' "$dest" "\${f%%/*}" ;; esac; done | sort -zu; }
[ -n "$own$grp$perm" ] || exit 0
if [ "$op" = check ]; then
  paths | xargs -0 -r stat -c '%U|%G|%u|%g|%a|%F' -- 2>/dev/null |
    awk -F'|' -v o="$own" -v g="$grp" -v m="$perm" 'BEGIN { sub(/^0+/, "", m) } { if ((o != "" && o != $1 && o != $3) || (g != "" && g != $2 && g != $4) || (m != "" && $6 != "symbolic link" && m != $5)) n++ } END { print "attrs=" n+0 }'
else
  [ -z "$own$grp" ] || paths | xargs -0 -r chown -h -- "$own\${grp:+:$grp}" || exit 1
  [ -z "$perm" ] || paths | xargs -0 -r sh -c 'for p; do [ -L "$p" ] || chmod -- "$0" "$p" || exit 1; done' "$perm" || exit 1
fi`

export interface ArchiveRun extends ArchiveQuery {
  op: 'check' | 'apply'
  handler?: string
  flag?: string
}

/** The read (op check) or the extraction (op apply); `content` is the controller's archive, sent on stdin. */
export function archiveCommand(q: ArchiveRun, content?: Buffer): Command {
  const cmd = shScript(
    SCRIPT,
    q.op,
    q.handler ?? '',
    q.flag ?? '',
    content ? '-' : q.src,
    q.dest,
    q.keepNewer ? '1' : '0',
    q.owner,
    q.group,
    q.mode,
    String(q.excludes.length),
    ...q.excludes,
    String(q.includes.length),
    ...q.includes,
    String(q.extraOpts.length),
    ...q.extraOpts,
    q.curlConfig,
    ...q.curlArgs,
  )
  // the controller's archive as base64 text: a command's stdin is text
  return content ? { ...cmd, stdin: content.toString('base64') } : cmd
}

export function parseArchive(stdout: string): ArchiveState {
  const st: ArchiveState = { files: [], diff: [], attrs: 0, destFields: pathResult(stdout) }
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=')
    if (i < 0) continue
    const [k, v] = [line.slice(0, i), line.slice(i + 1)]
    if (k === 'error') st.error = v
    else if (k === 'src') st.src = v
    else if (k === 'rc') st.rc = Number(v)
    else if (k === 'out') st.out = Buffer.from(v, 'base64').toString('utf8')
    else if (k === 'err') st.err = Buffer.from(v, 'base64').toString('utf8')
    else if (k === 'handler') st.handler = v
    else if (k === 'flag') st.flag = v
    // a leading / is dropped, as Ansible does (--strip-components lists a stripped directory as /)
    else if (k === 'file') st.files.push(v.replace(/^\//, ''))
    else if (k === 'nodest') st.noDest = true
    else if (k === 'diff' && v) st.diff.push(v)
    else if (k === 'attrs') st.attrs = Number(v)
  }
  return st
}
