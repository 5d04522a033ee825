/**
 * Ansible's small "system" collectors (ansible/module_utils/facts/system/*.py), each reading what the
 * probe gathered: platform, selinux, apparmor, chroot, fips, python, caps, pkg_mgr, service_mgr,
 * cmdline, date_time, env, loadavg, ssh_pub_keys, user, lsb, dns.
 */
import { basename, type Collector, content, type Facts, lines, type Raw, splitlines, words } from './raw.js'

function pythonVersion(raw: Raw): string {
  const [major, minor, micro, level, serial] = raw.py!.version_info
  const suffix = level === 'final' ? '' : `${{ alpha: 'a', beta: 'b', candidate: 'rc' }[level] ?? level}${serial}`
  return `${major}.${minor}.${micro}${suffix}`
}

export const platform: Collector = {
  name: 'platform',
  factIds: ['system', 'kernel', 'kernel_version', 'machine', 'python_version', 'architecture', 'machine_id'],
  reads: () => [{ probe: 'UNAME' }, { probe: 'FQDN' }, { probe: 'PY' }, { file: '/var/lib/dbus/machine-id' }, { file: '/etc/machine-id' }],
  collect(raw) {
    const [system, nodename, kernel, kernelVersion, machine] = raw.uname!
    const fqdn = raw.fqdn!
    const f: Facts = {
      system,
      kernel,
      kernel_version: kernelVersion,
      machine,
      python_version: pythonVersion(raw),
      fqdn,
      hostname: nodename.split('.')[0],
      nodename,
      domain: fqdn.split('.').slice(1).join('.'),
      userspace_bits: String(raw.bits),
    }
    if (machine === 'x86_64') {
      f.architecture = machine
      if (raw.bits === 64) f.userspace_architecture = 'x86_64'
      else if (raw.bits === 32) f.userspace_architecture = 'i386'
    } else if (/i([3456]86|86pc)/.test(machine)) {
      f.architecture = 'i386'
      if (raw.bits === 64) f.userspace_architecture = 'x86_64'
      else if (raw.bits === 32) f.userspace_architecture = 'i386'
    } else f.architecture = machine
    const machineId = content(raw, '/var/lib/dbus/machine-id') ?? content(raw, '/etc/machine-id')
    if (machineId) f.machine_id = splitlines(machineId)[0]
    return f
  },
}

const SELINUX_MODES: Record<string, string> = { '1': 'enforcing', '0': 'permissive', '-1': 'disabled' }

export const selinux: Collector = {
  name: 'selinux',
  reads: () => [{ probe: 'SELINUX' }, { file: '/sys/fs/selinux/enforce' }, { file: '/sys/fs/selinux/policyvers' }, { file: '/etc/selinux/config' }],
  collect(raw) {
    if (!raw.selinux_lib) return { selinux: { status: 'Missing selinux Python library' }, selinux_python_present: false }
    const enforce = content(raw, '/sys/fs/selinux/enforce')
    if (enforce === undefined) return { selinux: { status: 'disabled' }, selinux_python_present: true }
    const config: Record<string, string> = {}
    for (const line of lines(raw, '/etc/selinux/config')) {
      const m = /^\s*(SELINUX|SELINUXTYPE)\s*=\s*(\S+)/.exec(line)
      if (m) config[m[1]!] = m[2]!
    }
    const configMode = { enforcing: 'enforcing', permissive: 'permissive', disabled: 'disabled' }[config.SELINUX ?? ''] ?? 'unknown'
    const policyvers = Number(content(raw, '/sys/fs/selinux/policyvers'))
    return {
      selinux: {
        status: 'enabled',
        policyvers: Number.isInteger(policyvers) ? policyvers : 'unknown',
        config_mode: configMode,
        mode: SELINUX_MODES[enforce] ?? 'unknown',
        type: config.SELINUXTYPE ?? 'unknown',
      },
      selinux_python_present: true,
    }
  },
}

export const apparmor: Collector = {
  name: 'apparmor',
  reads: () => [{ exists: '/sys/kernel/security/apparmor' }],
  collect: (raw) => ({ apparmor: { status: raw.e['/sys/kernel/security/apparmor'] ? 'enabled' : 'disabled' } }),
}

export const chroot: Collector = {
  name: 'chroot',
  factIds: ['is_chroot'],
  reads: () => [{ probe: 'ENV' }, { probe: 'CHROOT' }],
  collect(raw) {
    if (raw.env?.debian_chroot) return { is_chroot: true }
    const c = raw.chroot!
    if (c.proc1) return { is_chroot: c.root[0] !== c.proc1[0] || c.root[1] !== c.proc1[1] }
    const rootIno = c.fstype?.includes('btrfs') ? 256 : c.fstype?.includes('xfs') ? 128 : 2
    return { is_chroot: c.root[0] !== rootIno }
  },
}

export const fips: Collector = {
  name: 'fips',
  reads: () => [{ file: '/proc/sys/crypto/fips_enabled' }],
  collect: (raw) => ({ fips: content(raw, '/proc/sys/crypto/fips_enabled') === '1' }),
}

export const python: Collector = {
  name: 'python',
  reads: () => [{ probe: 'PY' }],
  collect(raw) {
    const [major, minor, micro, releaselevel, serial] = raw.py!.version_info
    return {
      python: {
        version: { major, minor, micro, releaselevel, serial },
        version_info: [major, minor, micro, releaselevel, serial],
        executable: raw.py!.executable,
        has_sslcontext: raw.py!.ssl,
        type: raw.py!.type,
      },
    }
  },
}

export const caps: Collector = {
  name: 'caps',
  factIds: ['system_capabilities', 'system_capabilities_enforced'],
  reads: () => [{ cmd: 'capsh', argv: ['capsh', '--print'] }],
  collect(raw) {
    const out = raw.c.capsh
    if (out?.[0] !== 0) return { system_capabilities_enforced: 'N/A', system_capabilities: 'N/A' }
    let enforced = 'NA'
    let list: string[] = []
    for (const line of splitlines(out[1])) {
      if (!line.startsWith('Current:')) continue
      if (line.split(':')[1]!.trim() === '=ep') enforced = 'False'
      else {
        enforced = 'True'
        list = line
          .split('=')[1]!
          .split(',')
          .map((s) => s.trim())
      }
    }
    return { system_capabilities_enforced: enforced, system_capabilities: list }
  },
}

const PKG_MGRS: [path: string, name: string][] = [
  ['/usr/bin/rpm-ostree', 'atomic_container'],
  ['/usr/bin/yum', 'yum'],
  ['/usr/bin/dnf', 'dnf'],
  ['/usr/bin/apt-get', 'apt'],
  ['/usr/bin/zypper', 'zypper'],
  ['/usr/sbin/urpmi', 'urpmi'],
  ['/usr/bin/pacman', 'pacman'],
  ['/bin/opkg', 'opkg'],
  ['/usr/pkg/bin/pkgin', 'pkgin'],
  ['/opt/local/bin/pkgin', 'pkgin'],
  ['/opt/tools/bin/pkgin', 'pkgin'],
  ['/opt/local/bin/port', 'macports'],
  ['/usr/local/bin/brew', 'homebrew'],
  ['/opt/homebrew/bin/brew', 'homebrew'],
  ['/sbin/apk', 'apk'],
  ['/usr/sbin/pkg', 'pkgng'],
  ['/usr/sbin/swlist', 'swdepot'],
  ['/usr/bin/emerge', 'portage'],
  ['/usr/sbin/pkgadd', 'svr4pkg'],
  ['/usr/bin/pkg', 'pkg5'],
  ['/usr/bin/xbps-install', 'xbps'],
  ['/usr/local/sbin/pkg', 'pkgng'],
  ['/usr/bin/swupd', 'swupd'],
  ['/usr/sbin/sorcery', 'sorcery'],
  ['/usr/bin/installp', 'installp'],
  ['/QOpenSys/pkgs/bin/yum', 'yum'],
]

export const pkgMgr: Collector = {
  name: 'pkg_mgr',
  requires: ['distribution'],
  reads: () => [
    ...PKG_MGRS.map(([path]) => ({ exists: path })),
    { exists: '/run/ostree-booted' },
    // run only where /usr/bin/rpm exists: does an RPM own apt-get (APT-RPM)?
    { cmd: 'rpm_apt', argv: ['/usr/bin/rpm', '-q', '--whatprovides', '/usr/bin/apt-get'] },
  ],
  collect(raw, collected) {
    const family = collected.ansible_os_family
    const exists = (name: string) => PKG_MGRS.some(([p, n]) => n === name && raw.e[p])
    let name = 'unknown'
    for (const [path, n] of PKG_MGRS) if (raw.e[path] && !(family === 'Altlinux' && path === '/usr/bin/pkg')) name = n
    if (family === 'RedHat') {
      const distribution = collected.ansible_distribution
      const major = Number.parseInt(String(collected.ansible_distribution_major_version), 10)
      if (raw.e['/run/ostree-booted']) name = 'atomic_container'
      else if (distribution === 'Fedora' || distribution === 'Amazon') {
        if (Number.isNaN(major)) name = 'dnf'
        else if (major < (distribution === 'Fedora' ? 23 : 2022)) name = exists('yum') ? 'yum' : name
        else name = exists('dnf') ? 'dnf' : name
      } else name = major < 8 ? 'yum' : 'dnf'
    } else if (family === 'Debian' && name !== 'apt') name = 'apt'
    else if (family === 'Altlinux' && name === 'apt') name = 'apt_rpm'
    if (name === 'apt' && raw.c.rpm_apt) name = raw.c.rpm_apt[0] === 0 ? 'apt_rpm' : 'apt'
    return { pkg_mgr: name }
  },
}

const PROC_1_MAP: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' }

export const serviceMgr: Collector = {
  name: 'service_mgr',
  requires: ['platform', 'distribution'],
  reads: () => [
    { file: '/proc/1/comm' },
    { link: '/sbin/init' },
    { which: 'systemctl' },
    { which: 'initctl' },
    ...['/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/', '/etc/init/', '/sbin/openrc', '/etc/init.d/'].map((p) => ({ exists: p })),
  ],
  collect(raw, collected) {
    // Ansible falls back to `ps -p 1 -o comm` when /proc/1/comm cannot be read; acplay does not
    let proc1: string | undefined = content(raw, '/proc/1/comm') ?? raw.l['/sbin/init'] ?? undefined
    if (proc1 !== undefined) proc1 = basename(proc1).trim()
    if (proc1 === 'init' || proc1?.endsWith('sh')) proc1 = undefined
    let name: string | undefined
    if (proc1) name = PROC_1_MAP[proc1] ?? proc1
    else if (collected.ansible_distribution === 'OpenWrt') name = 'openwrt_init'
    else if (collected.ansible_system === 'Linux') {
      const systemctl = !!raw.w.systemctl
      if (systemctl && ['/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/'].some((p) => raw.e[p])) name = 'systemd'
      else if (raw.w.initctl && raw.e['/etc/init/']) name = 'upstart'
      else if (raw.e['/sbin/openrc']) name = 'openrc'
      else if (systemctl && raw.l['/sbin/init'] && basename(raw.l['/sbin/init']) === 'systemd') name = 'systemd'
      else if (raw.e['/etc/init.d/']) name = 'sysvinit'
    }
    return { service_mgr: name || 'service' }
  },
}

/** Python's shlex.split(s, posix=False): quotes start a token only at its start, and stay in it. */
export function shlexNonPosix(s: string): string[] | undefined {
  const out: string[] = []
  let i = 0
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++
    if (i >= s.length) break
    const q = s[i]!
    if (q === '"' || q === "'") {
      const end = s.indexOf(q, i + 1)
      if (end < 0) return undefined // No closing quotation
      out.push(s.slice(i, end + 1))
      i = end + 1
      continue
    }
    let j = i
    while (j < s.length && !/\s/.test(s[j]!)) j++
    out.push(s.slice(i, j))
    i = j
  }
  return out
}

export const cmdline: Collector = {
  name: 'cmdline',
  reads: () => [{ file: '/proc/cmdline' }],
  collect(raw) {
    const data = content(raw, '/proc/cmdline')
    if (!data) return {}
    const pieces = shlexNonPosix(data) ?? []
    const flat: Record<string, unknown> = {}
    const multi: Record<string, unknown> = {}
    for (const piece of pieces) {
      const eq = piece.indexOf('=')
      if (eq < 0) {
        flat[piece] = true
        multi[piece] = true
        continue
      }
      const [k, v] = [piece.slice(0, eq), piece.slice(eq + 1)]
      flat[k] = v
      const prev = multi[k]
      multi[k] = k in multi ? (Array.isArray(prev) ? [...prev, v] : [prev, v]) : v
    }
    return { cmdline: flat, proc_cmdline: multi }
  },
}

export const dateTime: Collector = {
  name: 'date_time',
  reads: () => [{ probe: 'TIME' }],
  collect(raw) {
    const t = raw.time!
    const [Y, m, A, w, W, d, H, M, S, s] = t.local as [string, string, string, string, string, string, string, string, string, string]
    const us = String(t.us).padStart(6, '0')
    const epoch = s === '' || s.startsWith('%') ? String(t.epoch) : s
    return {
      date_time: {
        year: Y,
        month: m,
        weekday: A,
        weekday_number: w,
        weeknumber: W,
        day: d,
        hour: H,
        minute: M,
        second: S,
        epoch,
        epoch_int: String(Number.parseInt(epoch, 10)),
        date: `${Y}-${m}-${d}`,
        time: `${H}:${M}:${S}`,
        iso8601_micro: `${t.utc}.${us}Z`,
        iso8601: `${t.utc}Z`,
        iso8601_basic: `${Y}${m}${d}T${H}${M}${S}${us}`,
        iso8601_basic_short: `${Y}${m}${d}T${H}${M}${S}`,
        tz: t.tz,
        tz_dst: t.tz_dst,
        tz_offset: t.tz_offset,
      },
    }
  },
}

export const env: Collector = { name: 'env', reads: () => [{ probe: 'ENV' }], collect: (raw) => ({ env: { ...raw.env } }) }

export const loadavg: Collector = {
  name: 'loadavg',
  reads: () => [{ probe: 'LOADAVG' }],
  collect: (raw) => (raw.loadavg ? { loadavg: { '1m': raw.loadavg[0], '5m': raw.loadavg[1], '15m': raw.loadavg[2] } } : {}),
}

const KEY_DIRS = ['/etc/ssh', '/etc/openssh', '/etc']
const KEY_ALGOS = ['dsa', 'rsa', 'ecdsa', 'ed25519']

export const sshPubKeys: Collector = {
  name: 'ssh_pub_keys',
  factIds: ['ssh_host_pub_keys', ...KEY_ALGOS.map((a) => `ssh_host_key_${a}_public`)],
  reads: () => KEY_DIRS.flatMap((dir) => KEY_ALGOS.map((a) => ({ file: `${dir}/ssh_host_${a}_key.pub` }))),
  collect(raw) {
    const f: Facts = {}
    for (const dir of KEY_DIRS) {
      for (const algo of KEY_ALGOS) {
        const name = `ssh_host_key_${algo}_public`
        if (name in f) return f // the first directory with keys wins
        const data = content(raw, `${dir}/ssh_host_${algo}_key.pub`)
        if (data === undefined) continue
        const [type, key] = words(data)
        f[name] = key
        f[`${name}_keytype`] = type
      }
    }
    return f
  },
}

export const user: Collector = {
  name: 'user',
  factIds: ['user_id', 'user_uid', 'user_gid', 'user_gecos', 'user_dir', 'user_shell', 'real_user_id', 'effective_user_id', 'effective_group_ids'],
  reads: () => [{ probe: 'USER' }],
  collect(raw) {
    const u = raw.user!
    const [uid, gid, gecos, dir, shell] = u.pw
    return {
      user_id: u.id,
      user_uid: uid,
      user_gid: gid,
      user_gecos: gecos,
      user_dir: dir,
      user_shell: shell,
      real_user_id: u.uid,
      effective_user_id: u.euid,
      real_group_id: u.gid,
      effective_group_id: u.gid,
    }
  },
}

const STRIP_QUOTES = /^['"\\]+|['"\\]+$/g

export const lsb: Collector = {
  name: 'lsb',
  reads: () => [{ cmd: 'lsb_release', argv: ['lsb_release', '-a'] }, { file: '/etc/lsb-release' }],
  collect(raw) {
    const f: Record<string, string> = {}
    const bin = raw.c.lsb_release
    if (bin && bin[0] === 0) {
      for (const line of splitlines(bin[1])) {
        if (!line.includes(':')) continue
        const value = line.slice(line.indexOf(':') + 1).trim()
        if (line.includes('LSB Version:')) f.release = value
        else if (line.includes('Distributor ID:')) f.id = value
        else if (line.includes('Description:')) f.description = value
        else if (line.includes('Release:')) f.release = value
        else if (line.includes('Codename:')) f.codename = value
      }
    }
    if (Object.keys(f).length === 0 && raw.f['/etc/lsb-release'] != null) {
      for (const line of lines(raw, '/etc/lsb-release')) {
        const value = line.slice(line.indexOf('=') + 1).trim()
        if (line.includes('DISTRIB_ID')) f.id = value
        else if (line.includes('DISTRIB_RELEASE')) f.release = value
        else if (line.includes('DISTRIB_DESCRIPTION')) f.description = value
        else if (line.includes('DISTRIB_CODENAME')) f.codename = value
      }
    }
    if (f.release !== undefined) f.major_release = f.release.split('.')[0]!
    for (const [k, v] of Object.entries(f)) if (v) f[k] = v.replace(STRIP_QUOTES, '')
    return { lsb: f }
  },
}

export const dns: Collector = {
  name: 'dns',
  reads: () => [{ file: '/etc/resolv.conf' }],
  collect(raw) {
    const d: Record<string, unknown> = {}
    for (const line of splitlines(content(raw, '/etc/resolv.conf', ''))) {
      if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue
      const t = words(line)
      if (t.length === 0) continue
      const [kw, ...rest] = t as [string, ...string[]]
      if (kw === 'nameserver') d.nameservers = [...((d.nameservers as string[]) ?? []), ...rest]
      else if (kw === 'domain' && rest.length) d.domain = rest[0]
      else if (kw === 'search') d.search = rest
      else if (kw === 'sortlist') d.sortlist = rest
      else if (kw === 'options') {
        const opts: Record<string, unknown> = {}
        for (const o of rest) {
          const i = o.indexOf(':')
          opts[i < 0 ? o : o.slice(0, i)] = i < 0 || o.slice(i + 1) === '' ? true : o.slice(i + 1)
        }
        d.options = opts
      }
    }
    return { dns: d }
  },
}
