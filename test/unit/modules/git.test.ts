import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { gitState } from '../../../modules/facts/git.js'
import { gitSshCommand, remoteHead } from '../../../modules/git.js'

const q = { dest: '/srv/app', repo: 'git://h/app.git', version: 'v1', remote: 'origin', bare: false, git: 'git', ssh: 'ssh' }

describe('git.state fact', () => {
  it('parses the checkout and ls-remote (symref, peeled tags), and an unreachable remote', () => {
    const out = [
      'exists=1',
      'head=aaa',
      'branch=main',
      'url=git://h/app.git',
      'local=',
      'mods=1',
      'ref=ref: refs/heads/main\tHEAD',
      'ref=111\tHEAD',
      'ref=222\trefs/tags/v1',
      'ref=333\trefs/tags/v1^{}',
      '',
    ].join('\n')
    const st = gitState.parse({ rc: 0, stdout: out, stderr: '' }, q)
    assert.deepEqual([st.exists, st.head, st.branch, st.localMods, st.remoteHeadBranch], [true, 'aaa', 'main', true, 'main'])
    assert.deepEqual(remoteHead(st, 'v1', false), { kind: 'tag', sha: '333' }, 'an annotated tag is its commit')
    assert.deepEqual(remoteHead(st, 'HEAD', true), { kind: 'head', sha: '111' })
    assert.deepEqual(remoteHead(st, 'abc123', false), { kind: 'sha', sha: 'abc123' })
    const down = gitState.parse({ rc: 0, stdout: 'exists=0\nlserror=fatal: unable to connect \n', stderr: '' }, q)
    assert.equal(down.remoteError, 'fatal: unable to connect')
  })
})

describe('GIT_SSH_COMMAND', () => {
  it('as Ansible builds it, every word quoted', () => {
    assert.equal(gitSshCommand({ accept_hostkey: false, accept_newhostkey: false }), 'ssh -o BatchMode=yes')
    assert.equal(
      gitSshCommand({ key_file: '/k/my key', ssh_opts: '-o ProxyJump=b', accept_hostkey: true, accept_newhostkey: false }),
      "ssh -o ProxyJump=b -o StrictHostKeyChecking=no -o BatchMode=yes -i '/k/my key' -o IdentitiesOnly=yes",
    )
    assert.throws(() => gitSshCommand({ ssh_opts: "-o 'x", accept_hostkey: false, accept_newhostkey: false }), /ssh_opts/)
  })
})
