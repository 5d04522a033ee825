/** The two ways a task reaches a testbed host (root; deploy with become), shared by the user/group/command/apt tests. */
import assert from 'node:assert/strict'
import { after } from 'node:test'
import type { SshConnection } from '../../engine/connection/ssh.js'
import type { ModuleEnv } from '../../engine/module-runner.js'
import type { Testbed } from '../helpers/testbed-fixture.js'

export type Env = Omit<ModuleEnv, 'check' | 'diff'>

export function osEnvs(bed: () => Testbed, host: string): { label: string; env: () => Env }[] {
  const conns: SshConnection[] = []
  after(async () => {
    await Promise.all(conns.map((c) => c.close()))
  })
  const make = (user: 'root' | 'deploy') => {
    let conn: SshConnection | undefined
    return (): Env => {
      if (!conn) {
        conn = bed().connection(host, user)
        conns.push(conn)
      }
      return user === 'root' ? { conn } : { conn, become: { user: 'root' } }
    }
  }
  return [
    { label: 'as root', env: make('root') },
    { label: 'as deploy with become', env: make('deploy') },
  ]
}

/** Runs a script on the host with the system ssh as root; asserts rc 0 unless told; returns trimmed stdout. */
export async function sh(bed: Testbed, host: string, script: string, rc = 0): Promise<string> {
  const r = await bed.exec(host, script)
  assert.equal(r.rc, rc, `host script failed (${r.rc}): ${script}\n${r.stderr}`)
  return r.stdout.trim()
}
