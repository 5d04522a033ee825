/** acl's pure parts, as Ansible's ansible.posix.acl builds and reads them. */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { aclCommand, aclLines, predictedAcl, splitEntry } from '../../../modules/acl.js'

const o = { follow: true, default: false, recursive: false, recalculateMask: 'default' }

it('splitEntry: default flag, etype by its first letter, a missing permissions part', () => {
  assert.deepEqual(splitEntry('default:group:deploy:rwx'), [true, 'group', 'deploy', 'rwx'])
  assert.deepEqual(splitEntry('d:u:app:r'), [true, 'user', 'app', 'r'])
  assert.deepEqual(splitEntry('user:app'), [undefined, 'user', 'app', undefined])
  assert.deepEqual(splitEntry('mask::rx'), [undefined, 'mask', '', 'rx'])
  assert.deepEqual(splitEntry('x:y:z'), [undefined, undefined, 'y', 'z'])
})

it("aclCommand: -d right after the program, then the entry, Ansible's flags, the path last", () => {
  assert.deepEqual(aclCommand('set', '/d', { ...o, default: true, recursive: true, recalculateMask: 'no_mask' }, 'user:a:r'), [
    'setfacl',
    '-d',
    '-m',
    'user:a:r',
    '--recursive',
    '--no-mask',
    '/d',
  ])
  assert.deepEqual(aclCommand('rm', '/f', { ...o, follow: false }, 'user:a'), ['setfacl', '-x', 'user:a', '--physical', '/f'])
  assert.deepEqual(aclCommand('get', '/f', { ...o, recalculateMask: 'mask' }), ['getfacl', '--omit-header', '--absolute-names', '/f'])
})

it('aclLines: comments dropped, lines stripped, one empty last line trimmed', () => {
  assert.deepEqual(aclLines('user::rw-\ngroup::r--\nother::r--\n\n'), ['user::rw-', 'group::r--', 'other::r--'])
  assert.deepEqual(aclLines('# file: /a\nuser::rw-\n\n# file: /a/b\nuser::r--\n\n'), ['user::rw-', '', 'user::r--'])
  assert.deepEqual(aclLines(''), [])
})

it("predictedAcl: setfacl --test's line in getfacl's words, a '*' part kept from the current listing", () => {
  const current = ['user::rwx', 'user:nobody:r--', 'group::r-x', 'mask::r-x', 'other::r-x']
  assert.deepEqual(predictedAcl('/d', current, '/d: u::rwx,u:www-data:r-x,g::r-x,m::r-x,o::r-x,*'), [
    'user::rwx',
    'user:www-data:r-x',
    'group::r-x',
    'mask::r-x',
    'other::r-x',
  ])
  assert.deepEqual(predictedAcl('/d', current, '/d: *,d:u::rwx,d:g::r-x,d:g:deploy:rwx,d:m::rwx,d:o::r-x'), [
    ...current,
    'default:user::rwx',
    'default:group::r-x',
    'default:group:deploy:rwx',
    'default:mask::rwx',
    'default:other::r-x',
  ])
  assert.equal(predictedAcl('/d', current, '/other: *,*'), undefined)
})
