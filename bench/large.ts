/**
 * `--cases large`: one copy of a large file (300 MB and 500 MB of random bytes: neither tool gets
 * to compress them) to one fresh host, with each tool, to a destination that does not exist; then
 * the same copy again (a no-op: both compare checksums). Controller peak RSS and wall time.
 */
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Testbed } from '../test/testbed/testbed.js'
import { hostsCpuS } from './hosts.js'
import { sampleOf, type Sample } from './report.js'
import { closeControlMasters, runTool, toolLabel, type Config, type Tool } from './tools.js'

export const LARGE_SIZES_MB = [300, 500]

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.copy:
        src: "{{ large_src }}"
        dest: "{{ large_dest }}"
        mode: "0644"
`

export async function largeFileRuns(o: {
  reps: number
  configs: Config[]
  workDir: string
  log: (m: string) => void
  record: (s: Sample) => void
}): Promise<void> {
  const play = join(o.workDir, 'large.yml')
  writeFileSync(play, PLAY)
  const bed = await Testbed.up({ hosts: 1, log: o.log })
  try {
    const inventory = bed.inventory({ user: 'root' })
    const host = bed.hosts[0]!.name
    const tools: Tool[] = [...o.configs.map((config) => ({ kind: 'ansible', config }) as Tool), { kind: 'acplay' }]
    for (const mb of LARGE_SIZES_MB) {
      const src = join(o.workDir, `large-${mb}.bin`)
      execFileSync('sh', ['-c', `head -c ${mb * 1024 * 1024} /dev/urandom > "$1"`, 'sh', src])
      for (let rep = 1; rep <= o.reps; rep++) {
        for (const tool of tools) {
          const dest = `/srv/large-${toolLabel(tool).replace(' ', '-')}.bin`
          await bed.exec(host, `rm -f ${dest}`)
          for (const kase of [`copy ${mb} MB`, `copy ${mb} MB noop`] as const) {
            const cpu0 = hostsCpuS(bed)
            const m = await runTool({
              tool,
              case: kase,
              inventory,
              forks: 1,
              workDir: o.workDir,
              playbook: play,
              extraVars: { large_src: src, large_dest: dest },
            })
            const hostsCpu = hostsCpuS(bed) - cpu0
            o.log(
              `  ${toolLabel(tool).padEnd(18)} ${kase.padEnd(16)} ${m.wallS.toFixed(2).padStart(7)} s  cpu ${m.controllerCpuS.toFixed(2)} + hosts ${hostsCpu.toFixed(2)} s  rss ${m.maxRssMb.toFixed(0)} MB  changed=${m.changed} failed=${m.failed}`,
            )
            o.record(sampleOf(tool, 'forks=1', kase, 1, m, hostsCpu))
          }
        }
      }
      rmSync(src, { force: true })
    }
  } finally {
    await closeControlMasters(o.workDir)
    await bed.down()
  }
}
