import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checksumFromFile, urlFilename } from '../../../modules/get-url.js'
import { curlQuote, curlRequest, parseHeaderDump } from '../../../modules/http/curl.js'
import { formUrlencoded, pythonJson } from '../../../modules/http/encode.js'
import { absoluteLocation } from '../../../modules/uri.js'

const base = {
  url: 'https://example.com/a',
  force: false,
  http_agent: 'ansible-httpget',
  use_proxy: true,
  validate_certs: true,
  force_basic_auth: false,
  use_gssapi: false,
  unredirected_headers: [],
  decompress: true,
  use_netrc: true,
  timeout: 10,
  follow: 'safe' as const,
}

describe('curl requests', () => {
  it('secrets go to the config, never argv; options follow the arguments', () => {
    const r = curlRequest({ ...base, url_username: 'u', url_password: 'p"w', headers: { Authorization: 'Bearer T' }, method: 'POST', validate_certs: false })
    assert.equal(r.argv.join(' ').includes('p"w') || r.argv.join(' ').includes('Bearer'), false)
    assert.deepEqual(r.argv.slice(-4), ['-X', 'POST', '-k', '--compressed'])
    assert.match(r.config, /^user = "u:p\\"w"$/m)
    assert.match(r.config, /^anyauth$/m)
    assert.match(r.config, /^header = "Authorization: Bearer T"$/m)
    assert.match(r.config, /^header = "Connection: close"$/m)
    assert.ok(!r.argv.includes('-L'), 'safe: a POST does not follow redirects')
    assert.ok(curlRequest({ ...base, follow: 'safe' }).argv.includes('-L'))
    assert.throws(() => curlRequest({ ...base, headers: { 'bad name': 'x' } }), /invalid HTTP header name/)
    assert.throws(() => curlRequest({ ...base, use_gssapi: true }), /use_gssapi is not supported/)
    assert.throws(() => curlRequest({ ...base, url: 'gopher://x' }), /unsupported URL scheme/)
    assert.equal(curlQuote('a\\b\n"c"'), '"a\\\\b\\n\\"c\\""')
  })
  it('the last response of a header dump (redirects first), repeated headers joined, cookies', () => {
    const dump = 'HTTP/1.1 302 Found\r\nLocation: /b\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nX-A: 2\r\nSet-Cookie: s=1; Path=/\r\n\r\n'
    const r = parseHeaderDump(dump, 200, 'https://x/b')
    assert.deepEqual([r.status, r.reason, r.headers['x-a'], r.cookies, r.headers.location], [200, 'OK', '1, 2', { s: '1' }, undefined])
    assert.equal(parseHeaderDump('HTTP/2 404\r\n\r\n', 404, 'u').reason, 'Not Found')
  })
})

describe('bodies as Python encodes them', () => {
  it("json.dumps separators and ASCII escapes; urlencode's quote_plus", () => {
    assert.equal(pythonJson({ a: [1, 'é'], b: { c: null, d: true } }), '{"a": [1, "\\u00e9"], "b": {"c": null, "d": true}}')
    assert.equal(formUrlencoded({ q: 'a b&c', list: ['x', 'y~*'], none: null }), 'q=a+b%26c&list=x&list=y~%2A')
    assert.equal(
      formUrlencoded([
        ['k', 'v'],
        ['k', true],
      ]),
      'k=v&k=True',
    )
  })
})

describe('names and locations', () => {
  it('url_filename, checksum files, absolute Location', () => {
    assert.equal(urlFilename('https://h/x/app.tgz?x=1#f'), 'app.tgz')
    assert.equal(urlFilename('https://h/'), 'index.html')
    assert.equal(urlFilename('https://h'), 'index.html')
    assert.equal(checksumFromFile('abc123\n', 'x'), 'abc123')
    assert.equal(checksumFromFile('111  other\n222 *./app.tgz\n', 'app.tgz'), '222')
    assert.equal(checksumFromFile('111  other\n', 'app.tgz'), undefined)
    assert.equal(absoluteLocation('http://h:1/a/b?q', '/c'), 'http://h:1/c')
    assert.equal(absoluteLocation('http://h/a/b', 'c'), 'http://h/a/c')
    assert.equal(absoluteLocation('http://h/a/b', 'https://o/'), 'https://o/')
  })
})
