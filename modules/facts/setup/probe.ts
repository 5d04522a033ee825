/**
 * The one command that gathers facts: `python3 -I -S -c PROBE DIRECTIVE...`. It only reads (files,
 * directory listings, links, a few read-only commands, statvfs) and prints the raw material as JSON;
 * the pure parsers beside this file turn it into Ansible's facts. The directives come from the
 * selected collectors (collectors.ts), so `gather_subset: min` reads no network or hardware.
 *
 * Why python, not sh: Ansible's own facts are defined by Python (socket.getfqdn, os.listdir order of
 * /sys/class/net, statvfs, pwd, strftime), the python facts need the interpreter anyway, and one
 * python process reads hundreds of files without a fork each. Imports are kept to builtins (json,
 * re, subprocess, socket and platform cost 5-15 ms each to import): JSON is written by hand and
 * commands are spawned with os.posix_spawn.
 */
const PY = String.raw`import os, sys, time
T = {i: '\\u%04x' % i for i in range(32)}
T[34] = '\\"'
T[92] = '\\\\'
def js(v):
    if v is None: return 'null'
    if v is True: return 'true'
    if v is False: return 'false'
    if isinstance(v, (int, float)): return repr(v)
    if isinstance(v, str): return '"' + v.translate(T) + '"'
    if isinstance(v, dict): return '{' + ','.join(js(k) + ':' + js(x) for k, x in v.items()) + '}'
    return '[' + ','.join(js(x) for x in v) + ']'
def read(p):
    try:
        with open(p, 'rb') as f:
            return f.read().decode('utf-8', 'replace')
    except Exception:
        return None
PATHS = os.environ.get('PATH', '').split(os.pathsep) + ['/sbin', '/usr/sbin', '/usr/local/sbin']
def which(n):
    if n.startswith('/'):
        return n if os.path.isfile(n) and os.access(n, os.X_OK) else None
    for d in PATHS:
        p = os.path.join(d, n)
        if d and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None
TIMEOUT = [10]
TOOLENV = dict(os.environ, LC_ALL='C', LANG='C')
def run(argv, env=TOOLENV):
    import select
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    try:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_OPEN, 0, '/dev/null', os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, w1, 1), (os.POSIX_SPAWN_DUP2, w2, 2)])
    except OSError as e:
        for fd in (r1, w1, r2, w2): os.close(fd)
        return [None, '', str(e)]
    os.close(w1)
    os.close(w2)
    bufs = {r1: [], r2: []}
    left = [r1, r2]
    end = time.time() + TIMEOUT[0]
    while left:
        ready = select.select(left, [], [], max(0, end - time.time()))[0]
        if not ready:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            for fd in left: os.close(fd)
            return [None, '', 'Timeout exceeded']
        for fd in ready:
            b = os.read(fd, 65536)
            if b: bufs[fd].append(b)
            else:
                left.remove(fd)
                os.close(fd)
    st = os.waitpid(pid, 0)[1]
    rc = os.WEXITSTATUS(st) if os.WIFEXITED(st) else -os.WTERMSIG(st)
    return [rc, b''.join(bufs[r1]).decode('utf-8', 'replace'), b''.join(bufs[r2]).decode('utf-8', 'replace')]
o = {'f': {}, 'e': {}, 'l': {}, 'r': {}, 'd': {}, 'c': {}, 'w': {}}
def listdir(p):
    try:
        return os.listdir(p)
    except OSError:
        return None
def link(p):
    try:
        return os.readlink(p)
    except OSError:
        return None
def one(kind, p):
    if kind == 'F': o['f'][p] = read(p)
    elif kind == 'E': o['e'][p] = os.path.exists(p)
    elif kind == 'L': o['l'][p] = link(p)
    elif kind == 'R': o['r'][p] = os.path.realpath(p) if os.path.exists(p) else None
    elif kind == 'D': o['d'][p] = listdir(p)
def statvfs(p):
    try:
        s = os.statvfs(p)
        return [s.f_frsize, s.f_blocks, s.f_bavail, s.f_bsize, s.f_files, s.f_favail]
    except OSError:
        return None
def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\' and s[i + 1:i + 4].isdigit() and len(s[i + 1:i + 4]) == 3:
            out.append(chr(int(s[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)
for d in sys.argv[1:]:
    a = d.split('\t')
    k = a[0]
    if k == 'TIMEOUT':
        TIMEOUT[0] = int(a[1])
    elif k in ('F', 'E', 'L', 'R', 'D'):
        one(k, a[1])
    elif k == 'W':
        o['w'][a[1]] = which(a[1])
    elif k in ('C', 'CI', 'CU'):
        if k != 'C':
            if os.path.exists(a[1]) != (k == 'CI'): continue
            a = a[1:]
        b = which(a[2])
        o['c'][a[1]] = run([b] + a[3:]) if b else None
    elif k == 'EACH':
        names = listdir(a[1])
        o['d'][a[1]] = names
        for n in names or []:
            for item in a[2:]:
                one(item[0], a[1] + '/' + n + '/' + item[2:])
    elif k == 'UNAME':
        u = os.uname()
        o['uname'] = [u.sysname, u.nodename, u.release, u.version, u.machine]
        o['bits'] = 64 if sys.maxsize > 2 ** 32 else 32
    elif k == 'FQDN':
        import _socket
        name = _socket.gethostname()
        try:
            h, al, _ = _socket.gethostbyaddr(name)
            name = h
            for n in [h] + al:
                if '.' in n:
                    name = n
                    break
        except OSError:
            pass
        o['fqdn'] = name
    elif k == 'PY':
        ssl = False
        for p in sys.path:
            for n in listdir(p or '.') or []:
                if n.startswith('_ssl.') or n == '_ssl':
                    ssl = True
        o['py'] = {'version_info': list(sys.version_info), 'executable': sys.executable, 'type': sys.implementation.name, 'ssl': ssl or '_ssl' in sys.builtin_module_names}
    elif k == 'SELINUX':
        ma = getattr(sys.implementation, '_multiarch', '')
        o['selinux_lib'] = any(os.path.exists(p + '/libselinux.so.1') for p in ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/lib/' + ma, '/usr/lib/' + ma])
    elif k == 'USER':
        import pwd
        name = None
        for v in ('LOGNAME', 'USER', 'LNAME', 'USERNAME'):
            if os.environ.get(v):
                name = os.environ[v]
                break
        if name is None:
            name = pwd.getpwuid(os.getuid())[0]
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            pw = pwd.getpwuid(os.getuid())
        o['user'] = {'id': name, 'pw': [pw.pw_uid, pw.pw_gid, pw.pw_gecos, pw.pw_dir, pw.pw_shell], 'uid': os.getuid(), 'euid': os.geteuid(), 'gid': os.getgid()}
    elif k == 'ENV':
        o['env'] = dict(os.environ)
    elif k == 'TIME':
        t = time.time()
        s = int(t)
        us = int(round((t - s) * 1e6))
        if us >= 1000000:
            s, us = s + 1, us - 1000000
        lt = time.localtime(s)
        o['time'] = {'us': us, 'local': [time.strftime(f, lt) for f in ('%Y', '%m', '%A', '%w', '%W', '%d', '%H', '%M', '%S', '%s')], 'utc': time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(s)), 'tz': time.strftime('%Z'), 'tz_dst': time.tzname[1], 'tz_offset': time.strftime('%z'), 'epoch': s}
    elif k == 'RELFILES':
        rel = {}
        for n in listdir('/etc') or []:
            if n.endswith(('-release', '_release', '-version', '_version')):
                try:
                    with open('/etc/' + n, 'rb') as f:
                        rel[n] = f.readline().decode('utf-8', 'replace')
                except Exception:
                    pass
        o['rel'] = rel
    elif k == 'LOADAVG':
        try:
            o['loadavg'] = list(os.getloadavg())
        except OSError:
            pass
    elif k == 'NPROC':
        try:
            o['nproc'] = len(os.sched_getaffinity(0))
        except AttributeError:
            pass
    elif k == 'CHROOT':
        r = os.stat('/')
        try:
            p = os.stat('/proc/1/root/.')
            o['chroot'] = {'root': [r.st_ino, r.st_dev], 'proc1': [p.st_ino, p.st_dev]}
        except Exception:
            st = which('stat')
            o['chroot'] = {'root': [r.st_ino, r.st_dev], 'proc1': None, 'fstype': run([st, '-f', '--format=%T', '/'])[1] if st else ''}
    elif k == 'MOUNTS':
        mtab = '/etc/mtab' if os.path.exists('/etc/mtab') else '/proc/mounts'
        text = read(mtab) or ''
        sizes, devs = {}, []
        for line in text.splitlines():
            f = line.split()
            if len(f) < 4: continue
            dev, mnt, fs = unescape(f[0]), unescape(f[1]), unescape(f[2])
            if (not dev.startswith(('/', '\\')) and ':/' not in dev) or fs == 'none': continue
            sizes[mnt] = statvfs(mnt)
            if dev not in devs: devs.append(dev)
        udev = which('udevadm')
        o['mounts'] = {'mtab': text, 'statvfs': sizes, 'udevadm': {d: run([udev, 'info', '--query', 'property', '--name', d]) for d in devs} if udev else {}}
    elif k == 'LOCAL':
        fp, facts = a[1], []
        if fp and os.path.exists(fp):
            for n in sorted(listdir(fp) or []):
                if not n.endswith('.fact'): continue
                fn = fp + '/' + n
                try:
                    ex = bool(os.stat(fn).st_mode & 0o100)
                except OSError as e:
                    facts.append({'name': n, 'error': str(e)})
                    continue
                if ex:
                    facts.append({'name': n, 'exec': run([fn], dict(os.environ))})
                else:
                    facts.append({'name': n, 'text': read(fn)})
        o['local'] = facts
        o['localPath'] = fp
sys.stdout.write(js(o))
`

/** The probe's argv (after `-c PROBE`): what the selected collectors need read. */
export type Directive =
  | { file: string }
  | { exists: string }
  | { link: string }
  | { realpath: string }
  | { dir: string }
  /** is `name` on PATH (or /sbin, /usr/sbin, /usr/local/sbin), as Ansible's get_bin_path */
  | { which: string }
  /**
   * runs argv (argv[0] found as `which`) with LC_ALL=C: null when the binary is not there; not run
   * (undefined) unless `ifExists` exists, or when `unlessExists` does
   */
  | { cmd: string; argv: string[]; ifExists?: string; unlessExists?: string }
  /** every entry of dir, and for each: F:file E:exists L:link R:realpath D:dir, relative to the entry */
  | { each: string; items: string[] }
  | { probe: 'UNAME' | 'RELFILES' | 'FQDN' | 'PY' | 'SELINUX' | 'USER' | 'ENV' | 'TIME' | 'LOADAVG' | 'NPROC' | 'CHROOT' | 'MOUNTS' }
  | { local: string }
  /** seconds a command may run (gather_timeout) before it is killed and counts as failed */
  | { timeout: number }

export function directiveArg(d: Directive): string {
  if ('file' in d) return `F\t${d.file}`
  if ('exists' in d) return `E\t${d.exists}`
  if ('link' in d) return `L\t${d.link}`
  if ('realpath' in d) return `R\t${d.realpath}`
  if ('dir' in d) return `D\t${d.dir}`
  if ('which' in d) return `W\t${d.which}`
  if ('cmd' in d) {
    const cond = d.ifExists !== undefined ? ['CI', d.ifExists] : d.unlessExists !== undefined ? ['CU', d.unlessExists] : ['C']
    return [...cond, d.cmd, ...d.argv].join('\t')
  }
  if ('each' in d) return ['EACH', d.each, ...d.items].join('\t')
  if ('local' in d) return `LOCAL\t${d.local}`
  if ('timeout' in d) return `TIMEOUT\t${Math.max(1, Math.floor(d.timeout))}`
  return d.probe
}

/** The probe as argv: a directive that repeats (two collectors reading one file) is asked once. */
export function probeArgv(python: string, directives: readonly Directive[]): string[] {
  return [python, '-I', '-S', '-c', PY, ...new Set(directives.map(directiveArg))]
}
