import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { junitReporter, xmlEscape } from '../../../engine/report/junit.js'
import { drive, result } from './fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'acplay-junit-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** Parses the XML with Python's ElementTree (a real parser) and returns a compact outline. */
function outline(xml: string): string {
  const py = `
import sys, xml.etree.ElementTree as E
root = E.fromstring(sys.stdin.read())
def a(e, *ks): return " ".join(f"{k}={e.get(k)}" for k in ks)
print("testsuites", a(root, "tests", "failures", "errors", "skipped"))
for s in root:
    print(" testsuite", repr(s.get("name")), a(s, "tests", "failures", "errors", "skipped"))
    for c in s:
        kids = ",".join(k.tag for k in c)
        print("  testcase", c.get("classname"), repr(c.get("name")), kids)
`
  return execFileSync('python3', ['-c', py], { input: xml, encoding: 'utf8' })
}

const LS = {
  msg: 'non-zero return code',
  rc: 2,
  cmd: ['ls', '/nonexistent-dir'],
  stdout: 'first\n<second>',
  stderr: Array.from({ length: 30 }, (_, i) => `err ${i + 1}`).join('\n'),
}

async function xml(check: boolean): Promise<string> {
  const file = join(dir, `r-${check}.xml`)
  await drive(
    junitReporter(file),
    ['web1', 'db1'],
    [
      result('web1', 'conf "main" <file> & more', 'changed', { changes: [{ summary: 'update', diff: { path: '/x', before: 'a\n', after: 'b\u0001\n' } }] }),
      result('web1', 'user', 'ok', { reason: 'user astro exists' }),
      result('web1', 'skip', 'skipped', { reason: 'Conditional result was False' }),
      result('db1', 'secret', 'failed', { hidden: true, msg: 'boom', result: { msg: 'boom', stderr: 'boom' } }),
      result('db1', 'optional', 'failed', { ignored: true, msg: 'nope', result: { msg: 'nope', rc: 1, stderr: 'ignored & <cut>' } }),
      result('db1', 'ls', 'failed', { msg: 'non-zero return code', result: LS }),
      result('db1', 'gone', 'unreachable', { msg: 'ssh: connect refused' }),
    ],
    { check },
  )
  return readFileSync(file, 'utf8')
}

describe('JUnit report', () => {
  it('check mode: drift is a failure, failed/unreachable an error, skipped skipped; well-formed XML', async () => {
    assert.equal(
      outline(await xml(true)),
      `testsuites tests=7 failures=1 errors=3 skipped=1
 testsuite 'web & <db>' tests=7 failures=1 errors=3 skipped=1
  testcase web1 'web : conf "main" <file> & more' failure
  testcase web1 'web : user' system-out
  testcase web1 'web : skip' skipped
  testcase db1 'web : secret' error
  testcase db1 'web : optional' system-out
  testcase db1 'web : ls' error
  testcase db1 'web : gone' error
`,
    )
  })

  it('a real run: a change passes', async () => {
    assert.match(outline(await xml(false)), /^testsuites tests=7 failures=0 errors=3 skipped=1\n/)
  })

  it('no_log results show no message', async () => {
    const text = await xml(true)
    assert.ok(!text.includes('boom'))
    assert.match(text, /<error message="hidden \(no_log: true\)" type="failed">/)
  })

  it("a failure's <error> holds its whole result: msg, rc, cmd, then every line of stderr and stdout", async () => {
    const text = await xml(false)
    const error = /<testcase classname="db1" name="web : ls"[^>]*>\n {6}<error message="non-zero return code" type="failed">([^<]*)<\/error>/.exec(text)
    assert.ok(error, text)
    const body = error[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
    assert.equal(
      body,
      [
        '{"msg": "non-zero return code", "rc": 2, "cmd": ["ls", "/nonexistent-dir"]}',
        '  stderr:',
        ...Array.from({ length: 30 }, (_, i) => `    err ${i + 1}`),
        '  stdout:',
        '    first',
        '    <second>',
      ].join('\n'),
    )
    assert.match(
      text,
      /<system-out>failed \(ignored\): \{&quot;msg&quot;: &quot;nope&quot;, &quot;rc&quot;: 1\}\n {2}stderr:\n {4}ignored &amp; &lt;cut&gt;<\/system-out>/,
    )
  })

  it('escapes markup and drops characters XML cannot hold', () => {
    assert.equal(xmlEscape(`a<b>&"c'\u0001\u0007d\n`), 'a&lt;b&gt;&amp;&quot;c&apos;d\n')
  })
})
