/**
 * The files find's criteria select, walked on the host by ONE python3 process (the criteria are
 * Python's: fnmatch globs, `re` patterns, `re.match` per line for `contains`), with Ansible's
 * per-file fields (the stat fields, plus the sha1 when asked).
 */
import type { Fact } from '../types.js'

export interface FindQuery {
  paths: string[]
  patterns: string[]
  excludes: string[]
  contains?: string
  read_whole_file: boolean
  file_type: 'any' | 'directory' | 'file' | 'link'
  /** seconds; negative: younger than */
  age?: number
  age_stamp: 'atime' | 'ctime' | 'mtime'
  /** bytes; negative: smaller than */
  size?: number
  recurse: boolean
  hidden: boolean
  follow: boolean
  get_checksum: boolean
  use_regex: boolean
  depth?: number
}

/** One match: path and the stat fields the script writes (its times arrive as JSON numbers). */
export type FoundFile = Record<string, unknown> & { atime: number; mtime: number; ctime: number }

export interface FindResult {
  files: FoundFile[]
  examined: number
  skipped_paths: Record<string, string>
}

// The query arrives as JSON in argv[1]; nothing of it is ever spliced into code.
const SCRIPT = `
import fnmatch, grp, hashlib, json, os, pwd, re, stat, sys, time
q = json.loads(sys.argv[1])
pats = q['patterns'] or (['.*'] if q['use_regex'] else ['*'])
match = (lambda p, n: re.match(p, n)) if q['use_regex'] else (lambda p, n: fnmatch.fnmatch(n, p))
def named(n):
    return any(match(p, n) for p in pats) and not any(match(e, n) for e in q['excludes'])
now = time.time()
def aged(st):
    a = q.get('age')
    if a is None: return True
    d = now - getattr(st, 'st_' + q['age_stamp'])
    return d >= a if a >= 0 else d <= -a
def sized(st):
    s = q.get('size')
    if s is None: return True
    return st.st_size >= s if s >= 0 else st.st_size <= -s
def contains(path):
    c = q.get('contains')
    if c is None: return True
    r = re.compile(c)
    try:
        with open(path) as f:
            if q['read_whole_file']: return bool(r.search(f.read()))
            return any(r.match(line) for line in f)
    except Exception:
        return False
def sha1(path):
    h = hashlib.sha1()
    with open(path, 'rb') as f:
        for b in iter(lambda: f.read(65536), b''): h.update(b)
    return h.hexdigest()
def info(path, st):
    m = st.st_mode
    try: pw = pwd.getpwuid(st.st_uid).pw_name
    except Exception: pw = ''
    try: gr = grp.getgrgid(st.st_gid).gr_name
    except Exception: gr = ''
    r = {'path': path, 'mode': '%04o' % stat.S_IMODE(m), 'isdir': stat.S_ISDIR(m), 'ischr': stat.S_ISCHR(m), 'isblk': stat.S_ISBLK(m),
         'isreg': stat.S_ISREG(m), 'isfifo': stat.S_ISFIFO(m), 'islnk': stat.S_ISLNK(m), 'issock': stat.S_ISSOCK(m),
         'uid': st.st_uid, 'gid': st.st_gid, 'size': st.st_size, 'inode': st.st_ino, 'dev': st.st_dev, 'nlink': st.st_nlink,
         'atime': st.st_atime, 'mtime': st.st_mtime, 'ctime': st.st_ctime, 'gr_name': gr, 'pw_name': pw}
    for k, b in (('wusr', stat.S_IWUSR), ('rusr', stat.S_IRUSR), ('xusr', stat.S_IXUSR), ('wgrp', stat.S_IWGRP), ('rgrp', stat.S_IRGRP),
                 ('xgrp', stat.S_IXGRP), ('woth', stat.S_IWOTH), ('roth', stat.S_IROTH), ('xoth', stat.S_IXOTH), ('isuid', stat.S_ISUID), ('isgid', stat.S_ISGID)):
        r[k] = bool(m & b)
    return r
def raise_(e): raise e
files, skipped, examined = [], {}, 0
kind = q['file_type']
for top in q['paths']:
    top = os.path.expanduser(os.path.expandvars(top))
    try:
        if not os.path.isdir(top): raise Exception("'%s' is not a directory" % top)
        for root, dirs, names in os.walk(top, onerror=raise_, followlinks=q['follow']):
            examined += len(names) + len(dirs)
            for name in names + dirs:
                path = os.path.normpath(os.path.join(root, name))
                if q.get('depth'):
                    base = top.rstrip(os.sep) + os.sep
                    if path.count(os.sep) - base.count(os.sep) + 1 > q['depth']:
                        del dirs[:]
                        continue
                if name.startswith('.') and not q['hidden']: continue
                try: st = os.lstat(path)
                except OSError as e:
                    skipped[path] = str(e)
                    continue
                m = st.st_mode
                if kind == 'any':
                    ok = named(name) and aged(st) and (sized(st) if stat.S_ISREG(m) else True)
                elif kind == 'directory': ok = stat.S_ISDIR(m) and named(name) and aged(st)
                elif kind == 'file': ok = stat.S_ISREG(m) and named(name) and aged(st) and sized(st) and contains(path)
                else: ok = stat.S_ISLNK(m) and named(name) and aged(st)
                if not ok: continue
                r = info(path, st)
                if q['get_checksum'] and stat.S_ISREG(m) and kind in ('any', 'file'): r['checksum'] = sha1(path)
                files.append(r)
            if not q['recurse']: break
    except Exception as e:
        skipped[top] = str(e)
json.dump({'files': files, 'examined': examined, 'skipped_paths': skipped}, sys.stdout)
`

export const findFiles: Fact<FindResult, [FindQuery]> = {
  name: 'find.files',
  command: (q) => ({ argv: ['python3', '-c', SCRIPT, JSON.stringify(q)] }),
  parse(out) {
    if (out.rc !== 0) throw new Error(`find failed: ${out.stderr.trim().split('\n').pop() || `rc ${out.rc}`}`)
    return JSON.parse(out.stdout) as FindResult
  },
}
