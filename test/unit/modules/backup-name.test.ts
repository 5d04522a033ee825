import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backupName } from '../../../modules/files/write.js'

describe('backup names', () => {
  it("are Ansible's backup_local shape, dest.PID.YYYY-MM-DD@HH:MM:SS~ (local time)", () => {
    assert.equal(backupName('/etc/app.conf', new Date(2026, 0, 2, 3, 4, 5), 4242), '/etc/app.conf.4242.2026-01-02@03:04:05~')
    assert.match(backupName('/x'), new RegExp(`^/x\\.${process.pid}\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`))
  })
})
