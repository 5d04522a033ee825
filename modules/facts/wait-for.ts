/**
 * wait_for's questions. `waitProbe`: is the condition true right now (one look, no waiting; a Fact,
 * so read-ahead answers it for a converged run). `waitCommand`: the waiting itself, ONE python3
 * process that loops until the condition holds or the timeout passes (Python's `re` for
 * search_regex, /proc/net/tcp for drained), printing one JSON line.
 */
import { PATH_RESULT_SH, pathResult } from '../files/path-result.js'
import { shScript, type Command, type Fact } from '../types.js'

export interface WaitSpec {
  host: string
  port?: number
  path?: string
  state: 'started' | 'present' | 'stopped' | 'absent' | 'drained'
  search_regex?: string
  timeout: number
  connect_timeout: number
  delay: number
  sleep: number
  active_connection_states: string[]
  exclude_hosts?: string[]
}

export interface WaitResult {
  ok: boolean
  /** Ansible's path fields (uid, gid, owner, group, mode, state, size) of a path that exists */
  path_info?: Record<string, unknown>
  elapsed: number
  match_groups?: (string | null)[]
  match_groupdict?: Record<string, string | null>
  msg?: string
}

// $1 kind (path|port), $2 path or host, $3 port, $4 connect timeout; prints yes or no (and a path's result fields)
const PROBE = `k=$1; shift
if [ "$k" = path ]; then
  if [ -e "$1" ]; then echo yes; ${PATH_RESULT_SH}; else echo no; fi
elif timeout "$3" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; then echo yes
else echo no; fi`

/** Whether a path exists or a port accepts a connection, now (with the path's result fields). */
export const waitProbe: Fact<{ yes: boolean; path: Record<string, unknown> }, [kind: 'path' | 'port', target: string, port: number, connectTimeout: number]> = {
  name: 'wait_for.probe',
  command: (kind, target, port, connectTimeout) => shScript(PROBE, kind, target, String(port), String(connectTimeout)),
  parse(out) {
    const a = out.stdout.split('\n')[0]
    if (a !== 'yes' && a !== 'no') throw new Error(`wait_for probe failed: ${out.stderr.trim() || `rc ${out.rc}`}`)
    return { yes: a === 'yes', path: pathResult(out.stdout) }
  },
}

const STATE_IDS: Record<string, string> = { ESTABLISHED: '01', SYN_SENT: '02', SYN_RECV: '03', FIN_WAIT1: '04', FIN_WAIT2: '05', TIME_WAIT: '06' }

// The spec arrives as JSON in argv[1]; nothing of it is spliced into code.
const WAIT = `
import binascii, json, math, os, re, select, socket, sys, time
q = json.loads(sys.argv[1])
start = time.time()
def done(ok, **kw):
    kw.update(ok=ok, elapsed=int(time.time() - start))
    p = q.get('path')
    if ok and p and os.path.exists(p):
        import grp, pwd, stat as S
        st = os.lstat(p)
        try: owner = pwd.getpwuid(st.st_uid)[0]
        except KeyError: owner = str(st.st_uid)
        try: group = grp.getgrgid(st.st_gid)[0]
        except KeyError: group = str(st.st_gid)
        kind = 'link' if os.path.islink(p) else 'directory' if os.path.isdir(p) else 'hard' if os.stat(p).st_nlink > 1 else 'file'
        kw['path_info'] = dict(uid=st.st_uid, gid=st.st_gid, owner=owner, group=group, mode='0%03o' % S.S_IMODE(st.st_mode), state=kind, size=st.st_size)
    json.dump(kw, sys.stdout)
    sys.exit(0)
try: rx = re.compile(q['search_regex'].encode(), re.M) if q.get('search_regex') is not None else None
except re.error as e: done(False, msg='Invalid regular expression: %s' % e)
host, port, path, state = q['host'], q.get('port'), q.get('path'), q['state']
if q['delay']: time.sleep(q['delay'])
end = start + q['timeout']
def connect(t):
    return socket.create_connection((host, port), t)
def close(s):
    try: s.shutdown(socket.SHUT_RDWR)
    except OSError: pass
    s.close()
def hexips(h):
    out = set()
    for fam, _, _, _, addr in socket.getaddrinfo(h, 80, 0, 0, socket.SOL_TCP):
        ips = [(fam, addr[0])] + ([(socket.AF_INET6, '::ffff:' + addr[0])] if fam == socket.AF_INET else [])
        for f, ip in ips:
            raw = binascii.b2a_hex(socket.inet_pton(f, ip))
            out.add((f, ''.join('%08X' % socket.ntohl(int(raw[i:i + 8], 16)) for i in range(0, len(raw), 8))))
    return out
def active():
    ips, excl, n = hexips(host), set(), 0
    for h in q.get('exclude_hosts') or []: excl |= hexips(h)
    for fam, f in ((socket.AF_INET, '/proc/net/tcp'), (socket.AF_INET6, '/proc/net/tcp6')):
        if not os.path.isfile(f): continue
        for line in open(f).readlines()[1:]:
            c = line.split()
            if c[3] not in q['states']: continue
            lip, lport = c[1].split(':')
            if lport != '%04X' % port or (fam, c[2].split(':')[0]) in excl: continue
            anyip = '0' * (8 if fam == socket.AF_INET else 32)
            if (fam, lip) in ips or (fam, anyip) in ips or (lip.startswith('0000000000000000FFFF0000') and (fam, '0000000000000000FFFF000000000000') in ips):
                n += 1
    return n
if not port and not path and state != 'drained':
    time.sleep(q['timeout'])
    done(True)
elif state in ('absent', 'stopped'):
    while time.time() < end:
        if path:
            if not os.access(path, os.F_OK): done(True)
        else:
            try: close(connect(q['connect_timeout']))
            except Exception: done(True)
        time.sleep(q['sleep'])
    done(False, msg='Timeout when waiting for %s:%s to stop.' % (host, port) if port else 'Timeout when waiting for %s to be absent.' % path)
elif state in ('started', 'present'):
    while time.time() < end:
        if path:
            try:
                os.stat(path)
                if not rx: done(True)
                with open(path, 'rb') as f:
                    m = rx.search(f.read())
                if m: done(True, match_groups=[g.decode(errors='replace') if g is not None else None for g in m.groups()],
                           match_groupdict={k: v.decode(errors='replace') if v is not None else None for k, v in m.groupdict().items()})
            except OSError as e:
                if e.errno != 2: done(False, msg='Failed to stat %s, %s' % (path, e.strerror))
        else:
            try: s = connect(min(q['connect_timeout'], math.ceil(end - time.time())))
            except Exception: s = None
            if s is not None:
                if not rx:
                    close(s)
                    done(True)
                data = b''
                while time.time() < end:
                    if not select.select([s], [], [], math.ceil(end - time.time()))[0]: continue
                    chunk = s.recv(1024)
                    if not chunk: break
                    data += chunk
                    if rx.search(data):
                        close(s)
                        done(True)
                close(s)
        time.sleep(q['sleep'])
    if port: msg = 'Timeout when waiting for search string %s in %s:%s' % (q['search_regex'], host, port) if rx else 'Timeout when waiting for %s:%s' % (host, port)
    else: msg = 'Timeout when waiting for search string %s in %s' % (q['search_regex'], path) if rx else 'Timeout when waiting for file %s' % path
    done(False, msg=msg)
else:
    while time.time() < end:
        if active() == 0: done(True)
        time.sleep(q['sleep'])
    done(False, msg='Timeout when waiting for %s:%s to drain' % (host, port))
`

/** The wait, as one python3 process printing a WaitResult. */
export function waitCommand(spec: WaitSpec): Command {
  const q = { ...spec, states: spec.active_connection_states.map((s) => STATE_IDS[s]) }
  return { argv: ['python3', '-c', WAIT, JSON.stringify(q)] }
}

export function parseWait(out: { rc: number; stdout: string; stderr: string }): WaitResult {
  try {
    return JSON.parse(out.stdout) as WaitResult
  } catch {
    throw new Error(`wait_for failed: ${out.stderr.trim().split('\n').pop() || `rc ${out.rc}`}`)
  }
}

export const CONNECTION_STATES = Object.keys(STATE_IDS)
