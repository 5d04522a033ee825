/**
 * uri's request on the host: ONE script. The body to send travels base64 as a positional argument
 * (never argv of a process: the script runs inside the task's shell) into a 0600 temp file; the
 * response body goes to a temp file (beside `dest` when there is one), comes back base64 when
 * asked, and with `dest` replaces it (atomically, only when its sha1 differs) when the status is
 * one of the wanted ones. Output: `key=value` lines, then Ansible's path fields of dest.
 */
import { PATH_RESULT_SH, pathResult } from '../files/path-result.js'
import { shScript, type Command } from '../types.js'
import { curlReport, keyValues, type Response } from './curl.js'

export interface RequestRun {
  config: string
  curlArgs: string[]
  /** the body to send, or undefined */
  body?: Buffer
  /** a file on the host to send instead (remote_src) */
  bodyFile?: string
  /** '' none */
  dest: string
  /** statuses that count as success (dest is written only for these, 304 aside) */
  statuses: number[]
  /** send the response body back: 'always', or only when the status is not wanted ('failure') */
  content: 'always' | 'failure'
}

const SCRIPT = `cfg=$1 body=$2 bodyfile=$3 dest=$4 want=" $5 " content=$6
shift 6
umask 077
if [ -n "$dest" ] && [ -d "$dest" ]; then dir=$dest; elif [ -n "$dest" ]; then dir=\${dest%/*}; dir=\${dir:-/}; else dir=\${TMPDIR:-/tmp}; fi
out=$(mktemp "$dir/.acplay-uri.XXXXXX") || exit 1
hdr=$(mktemp) || exit 1
trap 'rm -f "$out" "$hdr" "$hdr.err" "$hdr.body"' EXIT
if [ -n "$body" ]; then printf '%s' "$body" | base64 -d > "$hdr.body" || exit 1; set -- "$@" --data-binary "@$hdr.body"; fi
if [ -n "$bodyfile" ]; then set -- "$@" --data-binary "@$bodyfile"; fi
if [ -n "$dest" ] && [ -f "$dest" ]; then set -- "$@" -H "If-Modified-Since: $(LC_ALL=C date -u -r "$dest" '+%a, %d %b %Y %H:%M:%S GMT')"; fi
t0=$(date +%s)
w=$(printf '%s' "$cfg" | curl -K - "$@" -D "$hdr" -o "$out" -w '%{http_code} %{url_effective}' 2>"$hdr.err")
echo "curl=$?"
echo "elapsed=$(($(date +%s) - t0))"
echo "w=$w"
printf 'curlerr='; tr '\\n' ' ' < "$hdr.err"; echo
printf 'headers='; base64 -w0 < "$hdr"; echo
code=\${w%% *}
case $want in *" $code "*) ok=1 ;; *) ok=0 ;; esac
if [ "$content" = always ] || [ $ok = 0 ]; then printf 'body='; base64 -w0 < "$out"; echo; fi
[ -n "$dest" ] && [ $ok = 1 ] && [ "$code" != 304 ] || exit 0
target=$dest
if [ -d "$dest" ]; then
  fn=$(tr -d '\\r' < "$hdr" | sed -n '/^HTTP\\//{h;d};H;\${x;p}' | sed -n 's/^content-disposition:.*filename="\\{0,1\\}\\([^";]*\\).*/\\1/Ip' | tail -n 1)
  if [ -z "$fn" ]; then u=\${w#* }; p=\${u#*://}; case $p in */*) p=/\${p#*/} ;; *) p=/ ;; esac; p=\${p%%\\?*}; p=\${p%%#*}; p=\${p%/}; fn=\${p##*/}; fi
  target=\${dest%/}/\${fn:-index.html}
fi
echo "path=$target"
a=$(sha1sum < "$out"); b=
[ -e "$target" ] && b=$(sha1sum < "$target")
if [ "$a" != "$b" ]; then
  if [ -e "$target" ]; then chown --reference="$target" "$out" 2>/dev/null; chmod --reference="$target" "$out"; else chmod 0644 "$out"; fi
  mv -f -- "$out" "$target" || exit 1
fi
set -- "$target"
${PATH_RESULT_SH}`

export function requestCommand(r: RequestRun): Command {
  return shScript(SCRIPT, r.config, r.body ? r.body.toString('base64') : '', r.bodyFile ?? '', r.dest, r.statuses.join(' '), r.content, ...r.curlArgs)
}

export interface RequestResult {
  curl: number
  curlError: string
  elapsed: number
  response: Response
  body?: Buffer
  /** the file written with dest (a directory's file name resolved) */
  path?: string
  pathFields: Record<string, unknown>
}

export function parseRequest(stdout: string): RequestResult {
  const kv = keyValues(stdout)
  return {
    ...curlReport(kv),
    elapsed: Number(kv.get('elapsed') ?? 0),
    body: kv.has('body') ? Buffer.from(kv.get('body')!, 'base64') : undefined,
    path: kv.get('path'),
    pathFields: pathResult(stdout),
  }
}
