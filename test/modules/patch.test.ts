/**
 * ansible.posix.patch on real hosts, side by side with ansible-playbook: a file patched from the
 * playbook's files/ (dest), a tree patched with strip 1 and numbered backups (basedir), a patch
 * kept on the host reverted (remote_src, state absent); the files are written by the playbook, so
 * check mode on a fresh host predicts patches of files that do not exist yet. The dry runs decide:
 * a re-run changes nothing, a file put back by hand is patched again. A patch that does not apply
 * fails alike (patch's words, the .orig it leaves), in check mode too.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const FILES = {
  'files/index.patch': '--- index.html\n+++ index.html\n@@ -1,3 +1,3 @@\n <h1>\n-hello\n+hello, world\n </h1>\n',
  'files/tree.patch':
    '--- a/app.conf\n+++ b/app.conf\n@@ -1,2 +1,2 @@\n-port=80\n+port=8080\n workers=1\n' +
    '--- a/conf/extra.conf\n+++ b/conf/extra.conf\n@@ -1 +1,2 @@\n a\n+b\n',
}
const VENDOR_PATCH = '--- settings.txt\n+++ settings.txt\n@@ -1,2 +1,2 @@\n-debug=0\n+debug=1\n level=info\n'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: the site
      file: { path: /root/site, state: directory }
    - name: a page, written once
      copy: { dest: /root/site/index.html, content: "<h1>\\nhello\\n</h1>\\n", force: false }
    - name: the page patched
      patch: { src: index.patch, dest: /root/site/index.html, ignore_whitespace: true }
    - name: a tree
      file: { path: /root/tree/conf, state: directory }
    - name: its app.conf, written once
      copy: { dest: /root/tree/app.conf, content: "port=80\\nworkers=1\\n", force: false }
    - name: its extra.conf, written once
      copy: { dest: /root/tree/conf/extra.conf, content: "a\\n", force: false }
    - name: the tree patched, strip 1, numbered backups
      ansible.posix.patch: { src: tree.patch, basedir: /root/tree, strip: 1, backup: true, binary: true }
    - name: a patch kept on the host
      copy: { dest: /root/vendor.patch, content: ${JSON.stringify(VENDOR_PATCH)} }
    - name: settings as the vendor patched them, written once
      copy: { dest: /root/site/settings.txt, content: "debug=1\\nlevel=info\\n", force: false }
    - name: the vendor's patch reverted
      patch: { src: /root/vendor.patch, remote_src: true, dest: /root/site/settings.txt, state: absent }
`
const STATE = `cd /root && for f in site/index.html site/settings.txt tree/app.conf tree/conf/extra.conf; do echo "== $f"; cat $f; done
find site tree -name '*~' -o -name '*.orig' | sort | while read -r b; do echo "== $b"; cat "$b"; done`

const FAILING = `- hosts: all
  gather_facts: false
  tasks:
    - name: a patch that does not apply
      patch: { src: index.patch, dest: /root/site/settings.txt }
      register: bad
      ignore_errors: true
    - name: a dest that does not exist
      patch: { src: index.patch, dest: /root/site/nope.html }
      register: missing
      ignore_errors: true
    - name: what they returned
      when: not ansible_check_mode
      copy:
        dest: /root/failures.txt
        content: |
          {{ bad.failed }} {{ bad.changed }} [{{ bad.msg }}]
          {{ missing.failed }} [{{ missing.msg }}]
`

describe('patch on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pt-a', 'pt-b'])
  const sides = new SideBySide(bed, 'pt-a', 'pt-b', PLAYBOOK, STATE, FILES)

  it('first run: check mode predicts it, both tools patch the same', async () => {
    const state = await sides.firstRun(10)
    assert.match(state, /== site\/index\.html\n<h1>\nhello, world\n<\/h1>\n/)
    assert.match(state, /== site\/settings\.txt\ndebug=0\nlevel=info\n/)
    assert.match(state, /== tree\/app\.conf\nport=8080\nworkers=1\n== tree\/conf\/extra\.conf\na\nb\n/)
    assert.match(state, /== tree\/app\.conf\.~1~\nport=80\nworkers=1\n== tree\/conf\/extra\.conf\.~1~\na\n$/)
  })

  it('re-runs change nothing with either tool (the dry runs say done); check mode agrees', () => sides.rerun())

  it('drift: a page and a setting put back by hand are found in check mode and patched again', async () => {
    await sides.drift("printf '<h1>\\nhello\\n</h1>\\n' > /root/site/index.html && printf 'debug=1\\nlevel=info\\n' > /root/site/settings.txt", 2)
    await sides.drift("printf 'a\\n' > /root/tree/conf/extra.conf && printf 'port=80\\nworkers=1\\n' > /root/tree/app.conf", 1)
    assert.match(await sides.sameState(), /== tree\/app\.conf\.~2~\nport=80\nworkers=1\n/)
  })

  it("a patch that does not apply fails alike (patch's words, its .orig), in check mode too; a missing dest", async () => {
    const failing = new SideBySide(bed, 'pt-a', 'pt-b', FAILING, `${STATE}\ncat /root/failures.txt`, FILES)
    const check = await failing.run('acplay', { check: true })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.match(check.stdout, /TASK \[a patch that does not apply\][^\n]*\nfatal: \[pt-a\]: FAILED! => \{"msg": "1 out of 1 hunk FAILED\\n"/)
    await failing.both(1)
    const state = await failing.sameState()
    assert.match(state, /== site\/settings\.txt\.orig\n/)
    assert.match(state, /\nTrue False \[1 out of 1 hunk FAILED\n\]\nTrue \[dest \/root\/site\/nope\.html doesn't exist or not writable\]\n$/)
  })
})
