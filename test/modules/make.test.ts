/**
 * community.general.make on real hosts, side by side with ansible-playbook: a Makefile written by
 * the playbook, its default goal built, `install` with params and jobs, a second makefile (file:)
 * with the binary given; `make -q` decides, so a re-run changes nothing and a source touched by
 * hand is rebuilt. The results (command, output, a phony target that runs every time, a failing
 * build) are compared as both tools register them.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const MAKEFILE = [
  'PREFIX ?= /usr/local',
  'all: out/app.txt',
  'out/app.txt: src.txt',
  '\tmkdir -p out',
  '\tcat src.txt > $@',
  '\techo "version $(VERSION)" >> $@',
  'src.txt:',
  '\techo source > $@',
  'install: $(PREFIX)/share/app.txt',
  '$(PREFIX)/share/app.txt: out/app.txt',
  '\tinstall -D -m 0644 out/app.txt $@',
  'hello:',
  '\t@echo "hello $(WHO)"',
  'broken:',
  '\t@echo "about to fail"',
  '\tfalse',
  '.PHONY: all install hello broken',
  '',
].join('\n')
const OTHER = 'stamp: Makefile\n\techo "$(MSG)" > stamp\n'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: the project
      file: { path: /root/proj, state: directory }
    - name: its Makefile
      copy: { dest: /root/proj/Makefile, content: ${JSON.stringify(MAKEFILE)} }
    - name: a second makefile
      copy: { dest: /root/proj/other.mk, content: ${JSON.stringify(OTHER)} }
    - name: the default goal, from ~
      make: { chdir: ~/proj }
    - name: installed, with params and jobs
      community.general.make:
        chdir: /root/proj
        target: install
        params: { PREFIX: /opt/app }
        jobs: 2
    - name: the second makefile, with the binary given
      make: { chdir: /root/proj, file: other.mk, target: stamp, make: /usr/bin/make, params: { MSG: "from other.mk" } }
`
const STATE = `cd /root/proj && find . /opt/app -type f | sort && cat out/app.txt /opt/app/share/app.txt stamp`

const RESULTS = `- hosts: all
  gather_facts: false
  tasks:
    - name: a phony target runs every time
      make: { chdir: /root/proj, target: hello, params: { WHO: "$HOME and ~", N: 3 } }
      register: hello
    - name: up to date
      make: { chdir: /root/proj }
      register: uptodate
    - name: a failing build
      make: { chdir: /root/proj, target: broken }
      register: broken
      ignore_errors: true
    - name: what they returned
      copy:
        dest: /root/results.txt
        content: |
          {{ hello.changed }} {{ hello.command }} {{ hello.stdout_lines }} {{ hello.params }} {{ hello.jobs }} {{ hello.file }} {{ hello.chdir }}
          {{ uptodate.changed }} {{ uptodate.command }} [{{ uptodate.stdout }}] {{ uptodate.target }}
          {{ broken.failed }} {{ broken.msg }} {{ broken.rc }} {{ broken.cmd }} {{ broken.stdout_lines }}
`

describe('make on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['mk-a', 'mk-b'])
  const sides = new SideBySide(bed, 'mk-a', 'mk-b', PLAYBOOK, STATE)

  it('first run: check mode predicts it, both tools build the same', async () => {
    const state = await sides.firstRun(6)
    assert.match(state, /^\.\/Makefile\n\.\/other\.mk\n\.\/out\/app\.txt\n\.\/src\.txt\n\.\/stamp\n\/opt\/app\/share\/app\.txt\n/)
    assert.match(state, /source\nversion \nsource\nversion \nfrom other\.mk\n$/)
  })

  it('re-runs change nothing with either tool (make -q says up to date); check mode agrees', () => sides.rerun())

  it('drift: a source changed by hand is rebuilt and installed again; a removed install is put back', async () => {
    await sides.drift('echo more >> /root/proj/src.txt', 2)
    assert.match(await sides.sameState(), /source\nmore\nversion \nsource\nmore\nversion \n/)
    await sides.drift('rm /opt/app/share/app.txt', 1)
  })

  it('results: command, output, params as given; a phony target changes every run; a failed build', async () => {
    const results = new SideBySide(bed, 'mk-a', 'mk-b', RESULTS, 'cat /root/results.txt')
    await results.both(2)
    const text = await results.sameState()
    assert.match(text, /^True \/usr\/bin\/g?make hello 'WHO=\$HOME and ~' N=3 \['hello \/root and ~'\] \{'WHO': '\$HOME and ~', 'N': 3\} {3}\/root\/proj\n/)
    // (None prints as nothing in a template, in both tools)
    assert.match(text, /\nFalse \/usr\/bin\/g?make '' \[\] \n/)
    assert.match(text, /\nTrue g?make: \*\*\* \[Makefile:16: broken\] Error 1 2 \/usr\/bin\/g?make broken \['about to fail', 'false'\]\n$/)
    await results.both(1)
  })
})
