/**
 * get_url's download on the host: ONE script for its three uses.
 *   head   a HEAD request (check mode with no dest yet, as Ansible validates the URL there)
 *   probe  a GET into a temp file, hashed and removed: what the dest would receive (plan time: a
 *          read, the host keeps nothing). If-Modified-Since the dest's mtime when asked.
 *   apply  a GET into a temp file beside the target, checked against `checksum`, then given the
 *          target's (or the asked) owner and mode and renamed over it; a backup first if asked.
 * With a directory as dest the file name comes from Content-Disposition or the final URL.
 * Output: `key=value` lines (headers base64), and Ansible's path fields of the target after apply.
 */
import { PATH_RESULT_SH, pathResult } from '../files/path-result.js'
import { shScript, type Command } from '../types.js'
import { curlReport, keyValues, type Response } from './curl.js'

export interface DownloadArgs {
  mode: 'head' | 'probe' | 'apply'
  dest: string
  isDir: boolean
  /** where the temp file goes ('' = the target's directory) */
  tmpDir: string
  algorithm: string
  expected: string
  conditional: boolean
  backup: boolean
  owner: string
  group: string
  /** octal, resolved by the planner */
  fileMode: string
  config: string
  curlArgs: string[]
}

const SCRIPT = `mode=$1 dest=$2 isdir=$3 tdir=$4 algo=$5 want=$6 cond=$7 bak=$8 own=$9
grp=\${10} perm=\${11} cfg=\${12}
shift 12
if [ "$isdir" = 1 ]; then dir=$dest; else dir=\${dest%/*}; dir=\${dir:-/}; fi
[ -n "$tdir" ] || tdir=$dir
if [ ! -d "$tdir" ]; then if [ -e "$tdir" ]; then echo "error=$tdir is a file but should be a directory."; else echo "error=$tdir directory does not exist."; fi; exit 1; fi
tmp=$(mktemp "$tdir/.acplay-get_url.XXXXXX") || exit 1
hdr=$(mktemp) || exit 1
trap 'rm -f "$tmp" "$hdr" "$hdr.err"' EXIT
# If-Modified-Since by hand: curl's -z would also drop a 200 whose Last-Modified is not newer
if [ "$cond" = 1 ] && [ "$isdir" != 1 ] && [ -e "$dest" ]; then set -- "$@" -H "If-Modified-Since: $(LC_ALL=C date -u -r "$dest" '+%a, %d %b %Y %H:%M:%S GMT')"; fi
if [ "$mode" = head ]; then set -- "$@" -I -o /dev/null; else set -- "$@" -o "$tmp"; fi
w=$(printf '%s' "$cfg" | curl -K - "$@" -D "$hdr" -w '%{http_code} %{url_effective}' 2>"$hdr.err")
echo "curl=$?"
echo "w=$w"
printf 'curlerr='; tr '\n' ' ' < "$hdr.err"; echo
printf 'headers='; base64 -w0 < "$hdr"; echo
code=\${w%% *} url=\${w#* }
case $code/$url in 200/*|000/file:*|2??/ftp:*) ;; *) exit 0 ;; esac
[ "$mode" = head ] && exit 0
target=$dest
if [ "$isdir" = 1 ]; then
  fn=$(tr -d '\\r' < "$hdr" | sed -n '/^HTTP\\//{h;d};H;\${x;p}' | sed -n 's/^content-disposition: *attachment; \\{0,1\\}filename="\\{0,1\\}\\([^"]*\\).*/\\1/Ip' | tail -n 1)
  fn=\${fn##*/}
  if [ -z "$fn" ]; then p=\${url#*://}; case $p in */*) p=/\${p#*/} ;; *) p=/ ;; esac; p=\${p%%\\?*}; p=\${p%%#*}; fn=\${p##*/}; fi
  target=\${dest%/}/\${fn:-index.html}
fi
echo "target=$target"
echo "src=$tmp"
s=$(sha1sum < "$tmp") && echo "sha1=\${s%% *}"
d=
if [ -n "$algo" ]; then s=$("\${algo}sum" < "$tmp") && d=\${s%% *} && echo "digest=$d"; fi
if [ -e "$target" ]; then
  if [ ! -r "$target" ]; then echo "error=Destination $target is not readable"; exit 1; fi
  s=$(sha1sum < "$target") && echo "tsha1=\${s%% *}"
  echo "tstat=$(stat -L -c '%a|%U|%G|%u|%g|%s' -- "$target")"
fi
[ "$mode" = probe ] && exit 0
t0=$(date +%s)
if [ -n "$want" ] && [ "$d" != "$want" ]; then echo "error=The checksum for $target did not match $want; it was $d."; exit 1; fi
if [ -e "$target" ]; then
  if [ ! -w "$target" ]; then echo "error=Destination $target is not writable"; exit 1; fi
  chown --reference="$target" "$tmp" 2>/dev/null; chmod --reference="$target" "$tmp" || exit 1
else
  chmod 0644 "$tmp" || exit 1
fi
if [ -n "$own$grp" ]; then chown -- "$own\${grp:+:$grp}" "$tmp" || exit 1; fi
if [ -n "$perm" ]; then chmod -- "$perm" "$tmp" || exit 1; fi
if [ "$bak" = 1 ] && [ -e "$target" ]; then b="$target.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$target" "$b" && echo "backup=$b" || exit 1; fi
mv -f -- "$tmp" "$target" || exit 1
s=$(md5sum < "$target") && echo "md5=\${s%% *}"
echo "elapsed=$(($(date +%s) - t0))"
set -- "$target"
${PATH_RESULT_SH}`

export function downloadCommand(a: DownloadArgs): Command {
  const flag = (b: boolean) => (b ? '1' : '0')
  return shScript(
    SCRIPT,
    a.mode,
    a.dest,
    flag(a.isDir),
    a.tmpDir,
    a.algorithm,
    a.expected,
    flag(a.conditional),
    flag(a.backup),
    a.owner,
    a.group,
    a.fileMode,
    a.config,
    ...a.curlArgs,
  )
}

export interface Download {
  /** curl's exit code and what it said */
  curl: number
  curlError: string
  response: Response
  /** set when the response was usable */
  target?: string
  /** the temp file (gone again) */
  src?: string
  sha1?: string
  digest?: string
  /** sha1 of the target before */
  targetSha1?: string
  /** the target before: mode|owner|group|uid|gid|size */
  targetStat?: string
  elapsed?: number
  md5?: string
  backup?: string
  error?: string
  /** Ansible's path fields of the target after apply */
  path: Record<string, unknown>
}

export function parseDownload(stdout: string): Download {
  const kv = keyValues(stdout)
  return {
    ...curlReport(kv),
    target: kv.get('target'),
    src: kv.get('src'),
    sha1: kv.get('sha1'),
    digest: kv.get('digest'),
    targetSha1: kv.get('tsha1'),
    targetStat: kv.get('tstat'),
    elapsed: kv.has('elapsed') ? Number(kv.get('elapsed')) : undefined,
    md5: kv.get('md5'),
    backup: kv.get('backup'),
    error: kv.get('error'),
    path: pathResult(stdout),
  }
}
