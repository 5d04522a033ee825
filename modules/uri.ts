/**
 * uri: an HTTP request made BY the host (curl there), with Ansible's result: status, the response
 * headers (lower-case, '-' as '_'), cookies, `json` for a JSON response, `content` with
 * return_content, redirected, url, msg. The status must be one of `status_code`.
 *
 * changed is Ansible's: false for a request, true when `dest` was written. A GET or HEAD without
 * dest only reads, so it is made while planning (one round trip); any other method, and any dest,
 * is applied like a change (the engine then knows the host may have changed: a POST to a local
 * API). Skipped in check mode, as Ansible's uri does not support it (`check_mode: false` makes a
 * GET run there too).
 */
import { readFileSync } from 'node:fs'
import { ModuleFailure } from '../engine/errors.js'
import { fileCommonParams } from './files/common-args.js'
import { statPaths } from './files/stat.js'
import { curlFailure, curlRequest, URL_PARAMS, type RequestArgs } from './http/curl.js'
import { formUrlencoded, pythonJson } from './http/encode.js'
import { parseRequest, requestCommand, type RequestResult } from './http/request.js'
import { defineModule, type Plan } from './types.js'

const JSON_CANDIDATES = new Set(['json', 'javascript'])

/** Ansible's absolute_location: a Location header made absolute against the request URL. */
export function absoluteLocation(url: string, location: string): string {
  if (location.includes('://')) return location
  if (location.startsWith('/')) {
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(url)
    return `${m ? m[1] : ''}${location}`
  }
  return `${url.slice(0, url.lastIndexOf('/'))}/${location}`
}

const pyList = (xs: number[]) => `[${xs.join(', ')}]`

interface Shape {
  url: string
  status_code: number[]
  return_content: boolean
}

/** Ansible's uri result from what curl reported, and whether it failed (and why). */
export function uriResult(p: Shape, r: RequestResult): { failed?: string; data: Record<string, unknown> } {
  const st = r.curl !== 0 ? -1 : r.response.status
  const headers = r.curl !== 0 ? {} : r.response.headers
  const info: Record<string, unknown> = { ...headers }
  // urllib raises for anything but a 2xx: Ansible then has no cookies
  if (r.curl === 0 && st >= 200 && st < 300) {
    info.cookies_string = Object.entries(r.response.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ')
    info.cookies = r.response.cookies
  }
  info.msg =
    r.curl !== 0
      ? curlFailure(r.curl, r.curlError)
      : st >= 200 && st < 300
        ? `OK (${headers['content-length'] ?? 'unknown'} bytes)`
        : `HTTP Error ${st}: ${r.response.reason}`
  info.url = r.curl === 0 && r.response.url ? r.response.url : p.url
  info.status = st
  const data: Record<string, unknown> = { redirected: info.url !== p.url }
  for (const [k, v] of Object.entries(info)) data[k.replace(/-/g, '_').toLowerCase()] = v
  data.elapsed = r.elapsed
  if (typeof data.location === 'string') data.location = absoluteLocation(p.url, data.location)
  if (r.path !== undefined) Object.assign(data, { path: r.path, ...r.pathFields })
  const ctype = (headers['content-type'] ?? 'application/octet-stream').split(',')[0]!
  const [mime = '', ...params] = ctype.split(';').map((s) => s.trim())
  const sub = mime.split('/')[1] ?? ''
  const subType = sub.includes('+') ? sub.slice(sub.indexOf('+') + 1) : sub
  const maybeJson = JSON_CANDIDATES.has(subType.toLowerCase())
  const charset =
    params
      .find((x) => /^charset=/i.test(x))
      ?.slice(8)
      .replace(/"/g, '') || 'utf-8'
  let text: string | undefined
  if (r.body !== undefined) {
    try {
      text = new TextDecoder(charset).decode(r.body)
    } catch {
      text = r.body.toString('utf8')
    }
    if (maybeJson) {
      try {
        data.json = JSON.parse(text)
      } catch {
        // not JSON after all: Ansible leaves json out too
      }
    }
  }
  if (p.return_content) data.content = text ?? ''
  if (!p.status_code.includes(st)) return { failed: `Status code was ${st} and not ${pyList(p.status_code)}: ${info.msg}`, data }
  return { data }
}

export const uri = defineModule({
  name: 'uri',
  aliases: ['ansible.builtin.uri'],
  summary: 'Interacts with webservices',
  description:
    'Makes an HTTP(S) request from the host (curl) and returns the response as Ansible does: status, headers, cookies, json, content. ' +
    'Fails when the status is not one of status_code. Reports changed only when dest was written. A GET or HEAD without dest is made while planning; ' +
    'other methods and dest run as the task is applied. Skipped in check mode, as in Ansible.',
  params: {
    ...URL_PARAMS,
    url_username: { type: 'str', aliases: ['user'], description: 'A user name for Basic or Digest authentication.' },
    url_password: { type: 'str', aliases: ['password'], secret: true, description: 'A password for Basic or Digest authentication.' },
    force: { type: 'bool', default: false, description: 'Do not get a cached copy (Cache-Control: no-cache).' },
    dest: { type: 'path', description: 'A file to write the response body to (a directory: the name from Content-Disposition or the URL).' },
    body: { type: 'raw', description: 'The request body: a string, or data encoded as body_format says.' },
    body_format: {
      type: 'str',
      default: 'raw',
      choices: ['form-urlencoded', 'json', 'raw', 'form-multipart'],
      description:
        'json: encode body (a non-string) as JSON and send Content-Type application/json; form-urlencoded: a mapping or list of pairs. form-multipart is not supported yet.',
    },
    src: {
      type: 'path',
      controller: 'remote_src',
      description: 'A file to send as the body: on the controller (files/ of the role or playbook), or on the host with remote_src.',
    },
    remote_src: { type: 'bool', default: false, description: 'src is a file on the host.' },
    method: { type: 'str', default: 'GET', description: 'The HTTP method (one uppercase word).' },
    return_content: { type: 'bool', default: false, description: 'Return the body as `content` (a JSON response is always parsed into `json`).' },
    follow_redirects: {
      type: 'str',
      default: 'safe',
      choices: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'],
      description: 'safe: follow redirects of GET and HEAD only; all (yes, urllib2): any; none (no): never.',
    },
    creates: { type: 'path', description: 'When this path exists on the host, the request is not made.' },
    removes: { type: 'path', description: 'When this path does not exist on the host, the request is not made.' },
    status_code: { type: 'list', elements: 'int', default: [200], description: 'The statuses that mean success.' },
    timeout: { type: 'int', default: 30, description: 'Seconds to wait to connect, and for a stalled transfer.' },
    headers: { type: 'dict', default: {}, description: 'Custom HTTP headers.' },
    unix_socket: { type: 'path', description: 'A Unix domain socket to connect through.' },
    ca_path: { type: 'path', description: 'A PEM file of CA certificates to validate the server with.' },
    ...fileCommonParams,
  },
  mutuallyExclusive: [['body', 'src']],
  checkMode: 'none',
  returns: {
    status: 'the HTTP status code (-1: no response)',
    url: 'the final URL (after redirects)',
    redirected: 'whether the final URL differs from the requested one',
    msg: "'OK (N bytes)' or 'HTTP Error N: Reason'",
    json: 'the parsed body, when the response is JSON',
    content: 'the body, with return_content',
    cookies: 'the cookies the response set, name -> value',
    cookies_string: 'the same as a Cookie header value',
    elapsed: 'seconds the request took',
    path: 'the file written, with dest (and its uid, gid, owner, group, mode, state, size)',
    'content_type, content_length, location, ...': 'every response header, lower-case, - as _ (location made absolute)',
  },
  examples: `
- name: The API is healthy
  uri:
    url: http://localhost:8080/health
    return_content: true
  register: health
  until: health.status == 200
  retries: 10
  delay: 3

- name: Create a user through the API
  uri:
    url: https://api.example.com/users
    method: POST
    body_format: json
    body: { name: astro }
    status_code: [200, 201]
    url_username: admin
    url_password: "{{ api_password }}"
    force_basic_auth: true
`,
  async plan(p, ctx): Promise<Plan> {
    const method = p.method.toUpperCase()
    if (!/^[A-Z]+$/.test(method)) throw new ModuleFailure("Parameter 'method' needs to be a single word in uppercase, like GET or POST.")
    if (p.attributes !== undefined) throw new ModuleFailure('argument attributes (lsattr flags) is not supported by acplay yet')
    const headers: Record<string, string> = Object.fromEntries(Object.entries(p.headers).map(([k, v]) => [k, String(v)]))
    const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')
    let body: Buffer | undefined
    if (p.body !== undefined && p.body !== null) {
      if (p.body_format === 'json') {
        body = Buffer.from(typeof p.body === 'string' ? p.body : pythonJson(p.body))
        if (!hasType) headers['Content-Type'] = 'application/json'
      } else if (p.body_format === 'form-urlencoded') {
        body = Buffer.from(typeof p.body === 'string' ? p.body : formUrlencoded(p.body))
        if (!hasType) headers['Content-Type'] = 'application/x-www-form-urlencoded'
      } else if (p.body_format === 'form-multipart') {
        throw new ModuleFailure('body_format form-multipart is not supported by acplay yet')
      } else body = Buffer.from(typeof p.body === 'string' ? p.body : String(p.body))
    }
    let bodyFile: string | undefined
    if (p.src !== undefined) {
      if (p.remote_src) bodyFile = p.src
      else {
        try {
          body = readFileSync(ctx.findFile(p.src, 'files'))
        } catch {
          throw new ModuleFailure(`Unable to open source file ${p.src}`, { elapsed: 0 })
        }
      }
    }
    if (p.creates !== undefined || p.removes !== undefined) {
      const stats = await statPaths(
        ctx,
        [p.creates, p.removes].filter((x): x is string => x !== undefined),
      )
      if (p.creates !== undefined && stats.get(p.creates).exists) {
        const stdout = `skipped, since '${p.creates}' exists`
        return { kind: 'ok', reason: stdout, data: { stdout } }
      }
      if (p.removes !== undefined && !stats.get(p.removes).exists) {
        const stdout = `skipped, since '${p.removes}' does not exist`
        return { kind: 'ok', reason: stdout, data: { stdout } }
      }
    }
    const follow = ['all', 'yes', 'urllib2'].includes(p.follow_redirects) ? 'all' : ['no', 'none'].includes(p.follow_redirects) ? 'none' : 'safe'
    const request: RequestArgs = {
      ...p,
      method,
      headers,
      follow,
      timeout: p.timeout,
      unixSocket: p.unix_socket,
      caPath: p.ca_path,
    }
    const { argv, config } = curlRequest(request)
    const command = requestCommand({
      config,
      curlArgs: argv,
      body,
      bodyFile,
      dest: p.dest ?? '',
      statuses: p.status_code,
      content: p.dest ? (p.return_content ? 'always' : 'failure') : 'always',
    })
    if ((method === 'GET' || method === 'HEAD') && p.dest === undefined) {
      const r = parseRequest((await ctx.run(command)).stdout)
      // curl -I writes the headers where the body would go; a HEAD response has no body
      if (method === 'HEAD') r.body = Buffer.alloc(0)
      const res = uriResult(p, r)
      if (res.failed) throw new ModuleFailure(res.failed, res.data)
      return { kind: 'ok', reason: `${method} ${p.url}: ${res.data.status} (${res.data.msg})`, data: res.data }
    }
    return {
      kind: 'change',
      changes: [{ summary: `${method} ${p.url}${p.dest ? ` into ${p.dest}` : ''}`, commands: [command] }],
    }
  },
  interpret(p, out) {
    const r = parseRequest(out.stdout)
    const res = uriResult(p, r)
    if (res.failed) return { failed: true, msg: res.failed, data: res.data }
    if (out.rc !== 0) return { failed: true, msg: out.stderr.trim() || `exit code ${out.rc}`, data: res.data }
    const written = r.path !== undefined
    return {
      failed: false,
      changed: written,
      msg: written ? undefined : `${p.method.toUpperCase()} ${p.url}: ${res.data.status} (${res.data.msg})`,
      data: res.data,
    }
  },
})
