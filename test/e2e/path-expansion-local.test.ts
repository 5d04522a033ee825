/**
 * `~`, `~user` and `$VAR` in path arguments of many modules, against Debian's ansible-playbook with
 * ansible_connection=local: each tool runs the same playbook with its own HOME (so `~` is a scratch
 * directory, while `~root` comes from the password database) and its own APPDIR in the task's
 * environment. The registered paths, the command run in `chdir: ~`, `creates: ~/...`, what ended up
 * on disk and the recap must be the same. An unknown `~user` is left as written (a relative path
 * that does not exist), not refused by the expansion.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture, recapLine } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const APP = 'environment: { APPDIR: "{{ root }}/app" }'
// copy's and template's dest: Ansible's action plugin takes ~ from the password database (/root
// here, not HOME): in check mode, so that neither tool writes there
const CHECK = 'check_mode: true'
const TASKS: [name: string, task: string, keyword?: string][] = [
  ['rc', 'copy: { content: "hi\\n", dest: "~/.acplay-rc", mode: "0600" }', CHECK],
  ['rc_remote', 'copy: { src: "{{ root }}/app/seed", dest: "~/seed", remote_src: true }'],
  ['rc_remote_again', 'copy: { src: "{{ root }}/app/seed", dest: "~/seed", remote_src: true }'],
  ['tpl', 'template: { src: t.j2, dest: "~/tpl" }', CHECK],
  ['profile', 'lineinfile: { path: "~/.profile", line: "export X=1", create: true }'],
  ['profile_again', 'lineinfile: { path: "~/.profile", line: "export X=1", create: true }'],
  ['block', 'blockinfile: { path: "~/.profile", block: "Y=2" }'],
  ['home', 'stat: { path: "~" }'],
  ['root_home', 'stat: { path: "~root" }'],
  // an unknown user's ~ stays as written: a relative path, here under chdir (the modules that want an
  // absolute path refuse it, docs/compat.md)
  ['nobody_here', 'command: { cmd: echo ran, chdir: "~", creates: "~acplay-no-such-user/x" }'],
  ['pwd', 'command: { cmd: pwd, chdir: "~" }'],
  ['made', 'command: { cmd: touch made, chdir: "~", creates: "~/made" }'],
  ['made_again', 'command: { cmd: touch made, chdir: "~", creates: "~/made" }'],
  ['gone', 'shell: { cmd: "rm made", chdir: "~", removes: "~/made" }'],
  ['appdir', 'file: { path: "$APPDIR/d", state: directory }', APP],
  ['appfile', 'copy: { content: "x\\n", dest: "${APPDIR}/d/f" }', APP],
  ['appline', 'lineinfile: { path: "$APPDIR/d/f", line: "y" }', APP],
  ['unpacked', 'unarchive: { src: files.tgz, dest: "~/" }'],
  ['unpacked_again', 'unarchive: { src: files.tgz, dest: "~/", creates: "~/a.txt" }'],
  ['found', 'find: { paths: "~", patterns: "*.txt" }'],
  ['checkout', 'git: { repo: "{{ repo }}", dest: "~/checkout" }'],
  ['gone_too', 'file: { path: "~/a.txt", state: absent }'],
]

// what each registered value says about paths, the root dir of its tool as D
const SEEN = `{{ {
  'rc': rc.changed, 'rc_remote': rc_remote.dest, 'rc_remote_again': rc_remote_again.changed, 'tpl': tpl.changed, 'profile': profile.changed, 'block': block.changed,
  'home': home.stat.path, 'home_dir': home.stat.isdir, 'root_home': root_home.stat.path, 'nobody_here': nobody_here.stdout,
  'pwd': pwd.stdout, 'made': made.changed, 'made_again': made_again.changed, 'gone': gone.changed,
  'appdir': appdir.path, 'appfile': appfile.dest, 'appline': appline.changed,
  'unpacked': unpacked.dest, 'found': found.files | map(attribute='path') | list,
  'checkout': checkout.changed, 'gone_too': gone_too.path } | to_json }}`

const playbook = `- hosts: all
  gather_facts: false
  tasks:
${TASKS.map(([name, task, keyword]) => `    - name: ${name}\n      ${task}\n      register: ${name}\n${keyword ? `      ${keyword}\n` : ''}`).join('')}    - debug: { msg: "${SEEN.replaceAll('"', '\\"').replaceAll('\n', ' ')}" }
`

/** Every file and directory below `dir`: its path, and a file's content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n)
      if (n === '.git' || n === '.ansible') continue
      if (statSync(p).isDirectory()) {
        out[`${relative(dir, p)}/`] = ''
        walk(p)
      } else out[relative(dir, p)] = readFileSync(p, 'utf8')
    }
  }
  walk(dir)
  return out
}

function seen(stdout: string, root: string): Record<string, unknown> {
  const m = /"msg": (".*")\s*$/m.exec(stdout)
  assert.ok(m, stdout)
  return JSON.parse((JSON.parse(m[1]!) as string).replaceAll(root, 'D')) as Record<string, unknown>
}

describe('~, ~user and $VAR in path arguments, as ansible-playbook expands them (local connection)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('path-expansion', { 'play.yml': playbook, 't.j2': 'v={{ 1 + 1 }}\n', 'payload/a.txt': 'a\n' })
    execFileSync('tar', ['-czf', join(dir, 'files.tgz'), '-C', join(dir, 'payload'), 'a.txt'])
    const repo = join(dir, 'repo')
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], {
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
      })
    mkdirSync(repo)
    git('init', '-q', '-b', 'main')
    writeFileSync(join(repo, 'README'), 'r\n')
    git('add', 'README')
    git('commit', '-q', '-m', 'one')
    for (const tool of ['ours', 'ansi']) {
      mkdirSync(join(dir, tool, 'home'), { recursive: true })
      mkdirSync(join(dir, tool, 'app'))
      writeFileSync(join(dir, tool, 'app', 'seed'), 'seed\n')
    }
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same paths, commands, end state and recap', async () => {
    const env = (tool: string) => ({ HOME: join(dir, tool, 'home'), ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' })
    const args = (tool: string) => ['-i', join(dir, 'hosts.ini'), '-e', `root=${join(dir, tool)}`, '-e', `repo=${join(dir, 'repo')}`, join(dir, 'play.yml')]
    const [ours, theirs] = await Promise.all([
      acplay(['run', ...args('ours')], { cwd: dir, env: env('ours') }),
      capture(['ansible-playbook', ...args('ansi')], { cwd: dir, env: { ...env('ansi'), ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' } }),
    ])
    assert.equal(theirs.code, 0, `ansible-playbook failed: ${theirs.stdout}${theirs.stderr}`)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const mine = seen(ours.stdout, join(dir, 'ours'))
    assert.deepEqual(mine, seen(theirs.stdout, join(dir, 'ansi')))
    // what both did, spelled out
    assert.equal(mine.rc_remote, 'D/home/seed')
    // (Ansible's check mode registers no dest: acplay's plan names it; a run of Ansible writes /root/.acplay-rc)
    assert.match(ours.stdout, /\/root\/\.acplay-rc\b/)
    assert.match(ours.stdout, /\/root\/tpl\b/)
    assert.equal(mine.pwd, 'D/home')
    assert.equal(mine.root_home, '/root')
    assert.equal(mine.nobody_here, 'ran')
    assert.equal(mine.appfile, 'D/app/d/f')
    assert.deepEqual(tree(join(dir, 'ours')), tree(join(dir, 'ansi')))
    assert.equal(recapLine(ours.stdout, 'localhost'), recapLine(theirs.stdout, 'localhost'))
  })
})
