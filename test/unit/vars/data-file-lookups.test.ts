/**
 * The csvfile and ini lookups (engine/vars/lookups/data-files.ts). The readers are checked against
 * Python's own csv and configparser modules on tricky texts (python3 runs them here); the lookups'
 * options, quirks and errors through lookup() with a search path rooted in a temp directory.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { LOOKUP_CONTEXT, type LookupContext } from '../../../engine/vars/lookups/context.js'
import { csvRows } from '../../../engine/vars/lookups/csv-read.js'
import { IniConfig } from '../../../engine/vars/lookups/ini-read.js'
import { Templar } from '../../../engine/vars/template.js'

/** What Python prints for `code`, which reads the text from stdin as `text`. */
function python(code: string, text: string): unknown {
  const r = spawnSync('python3', ['-c', `import sys, json, csv, io, codecs, configparser\ntext = sys.stdin.read()\n${code}`], { input: text, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

const CSVS = [
  'a,b,c\n1,2,3\n',
  'a,"b,c",d\r\n"x ""q"" y",2\n\n,\n',
  '"multi\nline",7\nlast,"unterminated\nrest',
  'after,"quoted"tail,x\nno newline at end',
  'tab\tsep\there\n',
  'lone"quote,in middle\n',
]

const INIS = [
  '# c\n; c\n[DEFAULT]\nbase = /opt\n\n[s]\nKey = v\npath = %(base)s/x\npct = 100%%\nmulti = one\n  two\n\n  three\nempty =\ncolon: c\n',
  '[a]\nx=1\n[b]\nx = 2 ; not a comment\n  # comment line inside\n  more\n',
]

describe('csvfile and ini readers, against Python', () => {
  it('csv rows as csv.reader reads them', () => {
    for (const text of CSVS) {
      const delimiter = text.startsWith('tab') ? '\t' : ','
      const want = python(
        `print(json.dumps(list(csv.reader(codecs.getreader('utf-8')(io.BytesIO(text.encode())), delimiter=${JSON.stringify(delimiter)}))))`,
        text,
      )
      assert.deepEqual(csvRows(text, delimiter), want, JSON.stringify(text))
    }
    assert.throws(() => csvRows('a', ''), /"delimiter" must be a 1-character string/)
  })

  it('ini values as configparser reads them (interpolated, multi-line, [DEFAULT] in every section)', () => {
    for (const text of INIS) {
      const want = python(
        'cp = configparser.ConfigParser()\ncp.read_string(text)\nprint(json.dumps({s: dict(cp.items(s)) for s in cp.sections()}))',
        text,
      ) as Record<string, Record<string, string>>
      const c = new IniConfig({ allowNoValue: false, caseSensitive: false })
      c.read(text)
      for (const [section, values] of Object.entries(want)) {
        assert.deepEqual(Object.fromEntries(c.items(section)), values, `${JSON.stringify(text)} [${section}]`)
        for (const [k, v] of Object.entries(values)) assert.equal(c.get(section, k.toUpperCase()), v)
      }
    }
  })

  it('ini: no value (allow_no_value), case-sensitive names, duplicates and bad lines refused', () => {
    const nv = new IniConfig({ allowNoValue: true, caseSensitive: true })
    nv.read('[m]\nskip-locking\nUser = mysql\n')
    assert.deepEqual([nv.get('m', 'skip-locking'), nv.get('m', 'User'), nv.get('m', 'user')], [null, 'mysql', undefined])
    const strict = () => new IniConfig({ allowNoValue: false, caseSensitive: false })
    assert.throws(() => strict().read('[m]\nA = 1\na = 2\n'), /option 'a' in section 'm' already exists \(line 3\)/)
    assert.throws(() => strict().read('[m]\n[m]\n'), /section 'm' already exists/)
    assert.throws(() => strict().read('x = 1\n'), /no section headers/)
    assert.throws(() => strict().read('[m]\nskip-locking\n'), /parsing errors: \[line {2}2\]: "skip-locking"/)
    const bad = strict()
    bad.read('[m]\nx = 50%\n')
    assert.throws(() => bad.get('m', 'x'), /'%' must be followed by '%' or '\(name\)s'/)
  })
})

describe('csvfile and ini lookups', () => {
  let dir: string
  const t = new Templar()
  const vars = () => {
    const ctx: LookupContext = {
      baseDir: dir,
      candidates: (p) => [join(dir, 'files', p), join(dir, p)],
      secret: () => {},
      warn: () => {},
      hosts: () => [],
    }
    return { [LOOKUP_CONTEXT]: ctx } as Record<string, unknown>
  }
  const ev = (expr: string) => t.evaluate(expr, vars())
  const err = (expr: string) => {
    try {
      ev(expr)
    } catch (e) {
      assert.ok(e instanceof AcplayError, String(e))
      return e.message
    }
    assert.fail(`no error from ${expr}`)
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-data-lookups-'))
    mkdirSync(join(dir, 'files'))
    writeFileSync(join(dir, 'files', 'users.csv'), 'alice,1001,/bin/bash\n"bob smith",1002,/bin/sh\n"q ""x""",1003,/bin/zsh\n')
    writeFileSync(join(dir, 'users.tsv'), 'alice\t1001\t/bin/bash\n')
    writeFileSync(join(dir, 'files', 'latin1.csv'), Buffer.from('caf\xe9;\xe0\n', 'latin1'))
    writeFileSync(
      join(dir, 'files', 'app.ini'),
      '[DEFAULT]\nbase = /opt\n[global]\nuser = admin\nUser2 = Mixed\n[db]\nport = 5432\nport_alt = 5433\nhost = db\n',
    )
    writeFileSync(join(dir, 'files', 'app.properties'), 'server.port=8080\n')
    writeFileSync(join(dir, 'files', 'dup.ini'), '[s]\na = 1\nA = 2\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('csvfile: inline and keyword options, TAB by default, multi-word and quoted keys, negative columns, encodings', () => {
    assert.equal(ev("lookup('csvfile', 'alice file=users.csv delimiter=,')"), '1001')
    assert.equal(ev("lookup('csvfile', 'alice', file='users.csv', delimiter=',', col=2)"), '/bin/bash')
    assert.equal(ev("lookup('csvfile', 'alice file=users.tsv col=-1')"), '/bin/bash', 'beside the playbook, tab-separated')
    assert.equal(ev("lookup('csvfile', 'bob smith file=users.csv delimiter=,')"), '1002')
    assert.equal(ev("lookup('csvfile', 'q \"x\" file=users.csv delimiter=,')"), '1003')
    assert.equal(ev("lookup('csvfile', 'caf\u00e9 file=latin1.csv delimiter=; encoding=latin-1')"), '\u00e0')
    assert.equal(ev("lookup('csvfile', 'nobody file=users.csv delimiter=, default=none')"), 'none')
    assert.deepEqual(ev("lookup('csvfile', 'nobody file=users.csv delimiter=,')"), [])
    // the options of one term stay set for the next (Ansible mutates one dict)
    assert.deepEqual(ev("query('csvfile', 'alice file=users.csv delimiter=,', 'bob smith')"), ['1001', '1002'])
  })

  it('csvfile: what is wrong, said', () => {
    assert.match(err("lookup('csvfile', 'alice file=nope.csv')"), /lookup plugin 'csvfile' failed: could not locate file in lookup: nope.csv/)
    assert.match(err("lookup('csvfile', 'alice file=users.csv delimiter=, col=7')"), /list index out of range/)
    assert.match(err("lookup('csvfile', 'alice file=users.csv delimiter=, col=x')"), /invalid literal for int\(\) with base 10: 'x'/)
    assert.match(err("lookup('csvfile', 'file=users.csv')"), /Search key is required/)
    assert.match(err("lookup('csvfile', 'alice fiel=users.csv')"), /fiel is not a valid option/)
    // parse_kv decodes `\t` and then strips the value: inline, a tab delimiter is empty (as in Ansible)
    assert.match(err("lookup('csvfile', 'alice file=users.tsv delimiter=\\\\t')"), /"delimiter" must be a 1-character string/)
  })

  it('ini: sections, [DEFAULT], case, regexps, properties, defaults', () => {
    assert.equal(ev("lookup('ini', 'user file=app.ini')"), 'admin')
    assert.equal(ev("lookup('ini', 'USER section=global file=app.ini')"), 'admin')
    assert.equal(ev("lookup('ini', 'User2', file='app.ini', case_sensitive=True)"), 'Mixed')
    assert.equal(ev("lookup('ini', 'user2', file='app.ini', case_sensitive=True)"), '')
    assert.equal(ev("lookup('ini', 'base section=db file=app.ini')"), '/opt')
    assert.equal(ev("lookup('ini', 'port.* section=db file=app.ini re=true')"), '5432,5433')
    // inline values are strings: re=false is true (Ansible 2.14 reads it so); as a keyword it is false
    assert.equal(ev("lookup('ini', 'port section=db file=app.ini re=false')"), '5432,5433')
    assert.equal(ev("lookup('ini', 'port', section='db', file='app.ini', re=False)"), '5432')
    assert.equal(ev("lookup('ini', 'nope section=db file=app.ini default=none')"), 'none')
    assert.equal(ev("lookup('ini', 'server.port type=properties file=app.properties')"), '8080')
    assert.deepEqual(ev("query('ini', 'user', 'host section=db', file='app.ini')"), ['admin', 'db'])
  })

  it('ini: what is wrong, said', () => {
    assert.match(err("lookup('ini', 'x section=nope file=app.ini')"), /lookup plugin 'ini' failed: No section 'nope' in app.ini/)
    assert.match(err("lookup('ini', 'a section=s file=dup.ini')"), /dup.ini: option 'a' in section 's' already exists \(line 3\)/)
    assert.match(err("lookup('ini', 'user file=nope.ini')"), /could not locate file in lookup: nope.ini/)
    assert.match(err("lookup('ini', 'user fiel=app.ini')"), /No key to lookup|not a valid option/)
    assert.match(err("lookup('ini', 'section=db file=app.ini')"), /No key to lookup was provided/)
  })
})
