/**
 * Issue 17: check mode's unknowns. The rule (engine/unknown.ts), the effect store's order of known
 * and unknown, real module plans against the local machine meeting them (a link to a console
 * script pip would install, a template validated by a program apt would install, stat and command
 * results), and the Jinja value that makes a condition "may run".
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { LocalConnection } from '../../../engine/connection/local.js'
import { EffectStore } from '../../../engine/effects.js'
import { AcplayError } from '../../../engine/errors.js'
import { runModule, type ModuleEnv } from '../../../engine/module-runner.js'
import { aptUnknowns, packageStem, pathsOfKey, programUnknowns, relatedName, unknownAfter } from '../../../engine/unknown.js'
import { evaluate, isTrue } from '../../../engine/vars/template.js'
import { UnknownValue } from '../../../engine/vars/undefined.js'
import { command } from '../../../modules/command.js'
import { copy } from '../../../modules/copy.js'
import { file } from '../../../modules/file.js'
import { stat } from '../../../modules/stat.js'

describe('the unknown rule', () => {
  it('a path below an unknown tree is unknown (the tree itself only with self), except the except subtrees', () => {
    const s = new EffectStore()
    s.record([], [{ under: '/opt/venv' }, { under: '/usr', except: ['/usr/local'] }, { under: '/srv/out', self: true }], 'install')
    assert.equal(s.unknown('path.stat', '/opt/venv/bin/airflow'), 'install')
    assert.equal(s.unknown('path.stat', '/opt/venv'), undefined, 'the venv itself is known')
    assert.equal(s.unknown('path.stat', '/opt/venvx/bin'), undefined)
    assert.equal(s.unknown('path.stats', JSON.stringify(['/etc/x', '/usr/sbin/nginx'])), 'install', 'a batched read is unknown when one path is')
    assert.equal(s.unknown('path.stat', '/usr/local/bin/airflow'), undefined, '/usr/local is left to the admin')
    assert.equal(s.unknown('path.stat', '/srv/out'), 'install')
    assert.equal(s.unknown('user.info', 'astro'), undefined)
  })

  it('the later of an effect and an unknown wins', () => {
    const s = new EffectStore()
    s.record(
      [
        { fact: 'pip.installed', key: '/opt/venv', value: 1 },
        { fact: 'path.stat', key: '/opt/venv/marker', value: 2 },
      ],
      [{ under: '/opt/venv' }],
      'pip',
    )
    assert.equal(s.get('path.stat', '/opt/venv/marker'), 2, "the change's own effect is newer than its unknowns")
    s.record([], [{ under: '/opt/venv' }], 'pip again')
    assert.equal(s.has('path.stat', '/opt/venv/marker'), false)
    assert.equal(s.unknown('path.stat', '/opt/venv/marker'), 'pip again')
    assert.equal(s.get('pip.installed', '/opt/venv'), 1)
  })

  it('apt: files a package may ship, and the units, users and groups named like it', () => {
    const s = new EffectStore()
    s.record([], aptUnknowns(['postgresql-15', 'nginx-common']), 'apt')
    assert.deepEqual([packageStem('postgresql-15'), packageStem('nginx-common'), packageStem('redis-server=5:7.0')], ['postgresql', 'nginx', 'redis'])
    // Debian's metapackage of the default server ships nothing itself: its server's files and units are the ones to wait for
    assert.equal(packageStem('default-mysql-server'), 'mysql')
    assert.equal(relatedName('mysqld.service', 'default-mysql-server'), true)
    for (const [fact, key] of [
      ['path.stat', '/usr/sbin/nginx'],
      ['path.stat', '/etc/nginx/nginx.conf'],
      ['path.stat', '/etc/nginx'],
      ['path.stat', '/var/lib/postgresql/15'],
      ['path.stat', '/lib/systemd/system/nginx.service'],
      ['systemd.unit', 'postgresql@15-main.service'],
      ['systemd.unit', 'nginx.service'],
      ['user.info', 'postgres'],
      // Debian policy's per-package files, by the package's name or its stem
      ['path.stat', '/etc/default/nginx'],
      ['path.stat', '/etc/default/nginx-common'],
      ['path.stat', '/etc/init.d/postgresql'],
      ['path.stat', '/etc/logrotate.d/postgresql-15'],
      // and /etc/NAME.conf (geerlingguy.memcached templates /etc/memcached.conf after installing memcached)
      ['path.stat', '/etc/nginx-common.conf'],
      ['path.content', '/etc/postgresql.conf'],
      // merged /usr: what a package ships under /bin, /sbin and /lib lands in /usr too (ed's /bin/ed)
      ['path.stat', '/bin/ed'],
      ['path.stat', '/sbin/nginx'],
      ['path.stat', '/lib/x86_64-linux-gnu/libpq.so.5'],
      ['path.stat', '/lib64/ld-linux-x86-64.so.2'],
    ])
      assert.equal(s.unknown(fact!, key!), 'apt', `${fact} ${key}`)
    // the links themselves stay known
    for (const link of ['/bin', '/sbin', '/lib', '/lib64']) assert.equal(s.unknown('path.stat', link), undefined, link)
    const memcached = new EffectStore()
    memcached.record([], aptUnknowns(['memcached']), 'install memcached')
    assert.equal(memcached.unknown('path.content', '/etc/memcached.conf'), 'install memcached')
    for (const key of ['/etc/memcached.conf.d', '/etc/memcache.conf', '/etc/memcached.confx']) assert.equal(memcached.unknown('path.stat', key), undefined, key)
    // a daemon's package named NAMEd keeps its configuration in /etc/NAME (dev-sec's os_hardening templates /etc/audit/auditd.conf after installing auditd)
    const daemon = new EffectStore()
    daemon.record([], aptUnknowns(['auditd']), 'install auditd')
    for (const key of ['/etc/audit', '/etc/audit/auditd.conf', '/etc/auditd']) assert.equal(daemon.unknown('path.stat', key), 'install auditd', key)
    for (const key of ['/etc/aud', '/etc/auditing', '/etc/login.defs']) assert.equal(daemon.unknown('path.stat', key), undefined, key)
    // a versioned package keeps its configuration in /etc/NAME/VERSION (geerlingguy.php makes /etc/php/8.2/fpm after installing php8.2-fpm)
    const php = new EffectStore()
    php.record([], aptUnknowns(['php8.2-fpm', 'php8.2-apcu']), 'install php')
    for (const key of ['/etc/php/8.2', '/etc/php/8.2/fpm', '/etc/php/8.2/fpm/conf.d/20-apcu.ini'])
      assert.equal(php.unknown('path.stat', key), 'install php', key)
    for (const key of ['/etc/php', '/etc/php/8.1/fpm']) assert.equal(php.unknown('path.stat', key), undefined, key)
    // a package named FIRST-...: /etc/FIRST (geerlingguy's munin-node role templates /etc/munin/munin-node.conf after installing munin-node)
    const node = new EffectStore()
    node.record([], aptUnknowns(['munin-node']), 'install munin-node')
    for (const key of ['/etc/munin/munin-node.conf', '/etc/munin-node']) assert.equal(node.unknown('path.stat', key), 'install munin-node', key)
    for (const key of ['/etc/muninx', '/etc/mu', '/etc/node']) assert.equal(node.unknown('path.stat', key), undefined, key)
    const meta = new EffectStore()
    meta.record([], aptUnknowns(['default-mysql-server']), 'install mysql')
    assert.equal(meta.unknown('path.stat', '/etc/default/grub'), undefined)
    for (const [fact, key] of [
      ['path.stat', '/etc/default/astronomer-core'],
      ['path.stat', '/etc/default/nginxfoo'],
      ['path.stat', '/etc/init.d/redis'],
      ['path.stat', '/usr/local/bin/x'],
      ['path.stat', '/home/astro/.bashrc'],
      ['systemd.unit', 'astronomer-core@scheduler.service'],
      ['user.info', 'www-data'],
      ['user.info', 'astro'],
    ])
      assert.equal(s.unknown(fact!, key!), undefined, `${fact} ${key}`)
    assert.equal(relatedName('pg', 'postgresql'), false, 'a short name is not taken for a prefix')
    assert.deepEqual(programUnknowns({ creates: '/srv/app/.done/', chdir: '/srv/app' }), [{ under: '/srv/app/.done', self: true }, { under: '/srv/app' }])
    // a fact keyed by a query object (find.files) is about the paths inside it
    assert.deepEqual(pathsOfKey(JSON.stringify([{ paths: ['/etc/php/8.2/fpm/conf.d'], contains: 'extension=apcu', depth: null }])), ['/etc/php/8.2/fpm/conf.d'])
  })
})

describe('plans that meet an unknown (check mode, on this machine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acplay-unknown-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const env = (effects: EffectStore, task = 'the task'): ModuleEnv => ({
    conn: new LocalConnection('localhost'),
    check: true,
    diff: false,
    effects,
    where: { task },
  })
  const venv = join(dir, 'venv')
  const pipDone = () => {
    const s = new EffectStore()
    s.record([], [{ under: venv }], 'airflow is installed in its venv')
    return s
  }

  it('a link to a console script pip would install: changed (predicted), naming the task it waits for; never failed', async () => {
    const link = join(dir, 'airflow')
    const args = { path: link, src: `${venv}/bin/airflow`, state: 'link' }
    const plain = await runModule(file, args, env(new EffectStore()))
    assert.equal(plain.status, 'failed', 'without the earlier install the src is missing, as in Ansible')
    const r = await runModule(file, args, env(pipDone()))
    assert.equal(r.status, 'changed', r.msg)
    assert.equal(r.mayChange, undefined, 'exact: the link is created whatever the script turns out to be')
    assert.equal(r.reason, "changed (predicted): waits for task 'airflow is installed in its venv'")
  })

  it('a hard link to it cannot be predicted: may change', async () => {
    const r = await runModule(file, { path: join(dir, 'hard'), src: `${venv}/bin/airflow`, state: 'hard' }, env(pipDone()))
    assert.equal(r.status, 'changed', r.msg)
    assert.equal(r.mayChange, true)
    assert.match(r.reason ?? '', /^may change: it would fail now \(.*src does not exist.*\), but task 'airflow is installed in its venv' runs first/)
  })

  it('a file validated by a program an earlier apt install may provide: may change; without it, an exact change', async () => {
    const args = { dest: join(dir, 'site.conf'), content: 'listen 80;\n', validate: 'acplay-test-nginx -t -c %s' }
    const apt = new EffectStore()
    apt.record([], aptUnknowns(['acplay-test-nginx']), 'the proxy is installed')
    const r = await runModule(copy, args, env(apt))
    assert.equal(r.status, 'changed', r.msg)
    assert.equal(r.mayChange, true)
    assert.match(r.reason ?? '', /task 'the proxy is installed'/)
    const exact = await runModule(copy, args, env(new EffectStore()))
    assert.deepEqual([exact.status, exact.mayChange], ['changed', undefined])
    // what it would write is unknown for the tasks after it
    const later = await runModule(copy, { dest: join(dir, 'site.conf'), content: 'listen 80;\n' }, env(apt))
    assert.equal(later.mayChange, true)
  })

  it('stat of an unknown path: ok, with a result unknown until the task it waits for', async () => {
    const r = await runModule(stat, { path: `${venv}/bin/airflow` }, env(pipDone()))
    assert.deepEqual([r.status, r.unknown], ['ok', 'airflow is installed in its venv'])
  })

  it('a command that would run: changed, its result unknown; its creates path is unknown after it', async () => {
    const effects = new EffectStore()
    const marker = join(dir, 'initialised')
    const r = await runModule(command, { cmd: `touch ${marker}`, creates: marker }, env(effects, 'initialise'))
    assert.deepEqual([r.status, r.mayChange, r.unknown], ['changed', undefined, 'initialise'])
    const again = await runModule(command, { cmd: `touch ${marker}`, creates: marker }, env(effects, 'again'))
    assert.deepEqual([again.status, again.mayChange], ['changed', true], 'whether the first one creates it is unknown')
    writeFileSync(marker, '')
    const done = await runModule(command, { cmd: `touch ${marker}`, creates: marker }, env(new EffectStore()))
    assert.equal(done.status, 'ok')
  })

  it('a command whose creates is in directories not there yet: they are unknown after it (git init --bare DIR, creates DIR/HEAD)', async () => {
    const effects = new EffectStore()
    const repo = join(dir, 'srv', 'origin.git')
    const r = await runModule(command, { cmd: `git init --bare ${repo}`, creates: `${repo}/HEAD` }, env(effects, 'create the origin'))
    assert.equal(r.status, 'changed', r.msg)
    // the seed of the origin and a read of its directory wait for it; the dir beside it stays known
    const seed = await runModule(command, { cmd: 'true', creates: `${repo}/refs/tags/v1.0` }, env(effects, 'seed'))
    assert.deepEqual([seed.status, seed.mayChange], ['changed', true])
    const st = await runModule(stat, { path: join(dir, 'srv') }, env(effects))
    assert.deepEqual([st.status, st.unknown], ['ok', 'create the origin'])
    assert.equal((await runModule(stat, { path: dir }, env(effects))).unknown, undefined)
  })

  it('a directory an earlier task would make is there: mknod into a jail dir `file` plans makes only that node unknown', async () => {
    const effects = new EffectStore()
    const jail = join(dir, 'jail')
    for (const sub of ['dev', 'bin']) {
      const made = await runModule(file, { path: join(jail, sub), state: 'directory' }, env(effects, 'jail directories'))
      assert.equal(made.status, 'changed', made.msg)
    }
    for (const node of ['null', 'zero']) {
      const r = await runModule(command, { cmd: `true ${node}`, creates: join(jail, 'dev', node) }, env(effects, `mknod ${node}`))
      assert.deepEqual([r.status, r.mayChange], ['changed', undefined], `${node}: the first node does not make the second unknown`)
    }
    // the jail's other directories stay known: a copy into bin is predicted, not "may change"
    const cp = await runModule(copy, { src: '/bin/sh', dest: join(jail, 'bin', 'sh'), remote_src: true }, env(effects, 'binaries'))
    assert.deepEqual([cp.status, cp.mayChange], ['changed', undefined], cp.reason)
  })
})

describe('an unknown value in Jinja', () => {
  const out = new UnknownValue('register the version')
  const fails = (expr: string) => {
    try {
      evaluate(expr, { out, known: { rc: 0 } })
    } catch (e) {
      assert.ok(e instanceof AcplayError)
      return unknownAfter(e)
    }
    return 'no error'
  }
  it('any use that needs it raises E_UNKNOWN naming the task (a when on it "may run")', () => {
    for (const expr of ['out.rc == 0', 'out is defined', 'out is changed', 'out.stdout | default("x")', "'2.0' in out.stdout", 'not out.skipped', 'out'])
      assert.equal(fails(expr), 'register the version', expr)
  })
  it('what does not need it is known', () => {
    assert.equal(isTrue('known.rc == 0 or out.rc == 0', { out, known: { rc: 0 } }), true)
    assert.equal(isTrue('known.rc == 1 and out.rc == 0', { out, known: { rc: 0 } }), false)
    assert.equal(unknownAfter(new Error('x')), undefined)
  })
})
