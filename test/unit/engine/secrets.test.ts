/**
 * The masker finds a secret in every form it takes on its way to output. The forms are made by the
 * real tools (Python's shlex/urllib/json/base64, bash's printf %q, acplay's own quote), not by the
 * code under test, so a form the masker computes differently from the tool is caught.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { quote } from '../../../engine/connection/quote.js'
import { maskResult } from '../../../engine/report/mask-diff.js'
import type { HostResult } from '../../../engine/report/types.js'
import { MASK, Masker } from '../../../engine/secrets.js'

const SECRET = `S3cr%t/p@ss:w?rd#$ x'y"z\\é`

/** Python's rendering of the secret by `expr` (the secret is `s`). */
function py(expr: string): string {
  const r = spawnSync('python3', ['-c', `import sys, json, base64, shlex, urllib.parse as u; s = sys.argv[1]; sys.stdout.write(${expr})`, SECRET], {
    encoding: 'utf8',
  })
  assert.equal(r.status, 0, r.stderr)
  return r.stdout
}

const masker = () => {
  const m = new Masker()
  m.add(SECRET)
  return m
}

/** `text` masked: the secret's form is gone and the surrounding text is kept. */
function assertMasked(form: string, label: string): void {
  assert.notEqual(form, '', label)
  const text = `before ${form} after`
  const out = masker().mask(text)
  assert.ok(out.includes(MASK), `${label}: ${form} not masked: ${out}`)
  assert.ok(!out.includes(form), `${label}: ${out}`)
  assert.ok(out.startsWith('before ') && out.endsWith(' after'), `${label}: the text around it is kept: ${out}`)
}

describe('masker: every form of a secret', () => {
  it('plain', () => assertMasked(SECRET, 'plain'))

  it('quoted for sh: acplay quote, Python shlex.quote, double quotes, bash printf %q', () => {
    assertMasked(quote(SECRET), "quote.ts ('\\'')")
    assertMasked(py('shlex.quote(s)'), 'shlex.quote')
    const bash = spawnSync('bash', ['-c', 'printf %q "$1"', 'bash', SECRET], { encoding: 'utf8' }).stdout
    assertMasked(bash, 'printf %q')
    assertMasked(`"${SECRET.replace(/[\\"$`]/g, '\\$&')}"`, 'double-quoted')
  })

  it('JSON-escaped: JSON.stringify, Python json.dumps (ensure_ascii), twice encoded, and a quoted form in JSON', () => {
    assertMasked(JSON.stringify(SECRET), 'JSON.stringify')
    assertMasked(py('json.dumps(s)'), 'json.dumps ensure_ascii')
    assertMasked(JSON.stringify(JSON.stringify(SECRET)), 'JSON in JSON')
    assertMasked(JSON.stringify(`run /bin/echo ${quote(SECRET)}`), 'a shell-quoted summary in --json')
  })

  it('percent-encoded: encodeURIComponent, encodeURI, Python quote and quote_plus', () => {
    assertMasked(encodeURIComponent(SECRET), 'encodeURIComponent')
    assertMasked(encodeURI(SECRET), 'encodeURI')
    assertMasked(py('u.quote(s)'), "quote (safe='/')")
    assertMasked(py("u.quote(s, safe='')"), "quote (safe='')")
    assertMasked(py('u.quote_plus(s)'), 'quote_plus')
  })

  it('base64: of the value, base64url, and inside a longer text at each of the 3 alignments (no secret bit left)', () => {
    assertMasked(py('base64.b64encode(s.encode()).decode()'), 'b64encode')
    assertMasked(py('base64.urlsafe_b64encode(s.encode()).decode()'), 'urlsafe_b64encode')
    for (const prefix of ['', 'u', 'us', 'user:']) {
      for (const suffix of ['', '\n', 'xy']) {
        const whole = py(`base64.b64encode((${JSON.stringify(prefix)} + s + ${JSON.stringify(suffix)}).encode()).decode()`)
        const out = masker().mask(whole)
        assert.ok(out.includes(MASK), `prefix ${JSON.stringify(prefix)}: ${out}`)
        // what is left decodes to the prefix at most: nothing of the secret
        const left = out.split(MASK)[0]!
        const decoded = Buffer.from(left.slice(0, left.length - (left.length % 4)), 'base64').toString('latin1')
        assert.ok(prefix.startsWith(decoded), `prefix ${JSON.stringify(prefix)}: ${JSON.stringify(decoded)} is more than the prefix`)
      }
    }
  })

  it('the old value of a rotated secret: learnt from a diff, then masked everywhere', () => {
    const m = new Masker()
    const NEW = 'Rotated-New-9'
    const OLD = 'Old-Secret-41'
    m.add(NEW)
    const r: HostResult = {
      host: 'h1',
      task: { name: 't', handler: false },
      status: 'changed',
      msg: `was ${OLD}`,
      changes: [{ summary: 'update /etc/app.conf', diff: { path: '/etc/app.conf', before: `user=a\npassword=${OLD}\n`, after: `user=a\npassword=${NEW}\n` } }],
      durationMs: 0,
    }
    const out = JSON.stringify(maskResult(m, r))
    assert.ok(!out.includes(OLD) && !out.includes(NEW), out)
    assert.match(out, /password=\*{8}\(old\)/)
    assert.equal(m.mask(`later: ${Buffer.from(OLD).toString('base64')}`), `later: ${MASK}`)
  })

  it("of a list or mapping, every value in it, also in the JSON text copy writes (Python's json.dumps)", () => {
    const m = new Masker()
    m.add({ db: { password: SECRET }, tokens: ['tok-123456', 424242] })
    const text = py(`json.dumps({'db': {'password': s}, 'tokens': ['tok-123456', 424242]})`)
    assert.equal(m.mask(text), `{"db": {"password": "${MASK}"}, "tokens": ["${MASK}", ${MASK}]}`)
  })

  it('leaves short values and unrelated text alone', () => {
    const m = new Masker()
    m.add('ab')
    m.add(12)
    assert.equal(m.mask('ab 12 abc'), 'ab 12 abc')
  })

  it("leaves switch words alone (nginx_server_tokens: 'off' is named like a token)", () => {
    const m = new Masker()
    for (const w of ['off', 'Off', 'true', 'False', 'yes', 'None', 'null']) m.add(w)
    m.add('off-the-record')
    const text = 'server_tokens off; proxy_buffering Off; x: true, False, yes, None, null'
    assert.equal(m.mask(text), text)
    assert.equal(m.mask('key off-the-record'), `key ${MASK}`)
  })
})
