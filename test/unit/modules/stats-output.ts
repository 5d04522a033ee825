/**
 * Output of the path.stats script (modules/facts/path.ts) as a testbed host prints it, built from
 * stat lines: `k` + a kind letter per path, the /proc/self/ line (who runs the commands), a stat
 * line per existing path, NUL; per link its target record; a `sha256sum -z` record per readable file.
 */
export type Recorded = 'absent' | { stat: string; sha?: string } | { stat: string; link: string; target?: { stat: string; sha?: string } }

export function statsOutput(user: string, group: string, paths: Recorded[], after = ''): string {
  let kinds = ''
  const lines = [`directory|555|${user}|${group}|0|0|0|4026|48`]
  const links: string[] = []
  const shas: string[] = []
  for (const p of paths) {
    if (p === 'absent') {
      kinds += 'a'
      continue
    }
    lines.push(p.stat)
    if ('link' in p) {
      kinds += 'l'
      links.push(`${p.link}\n${p.target ? `${p.target.stat}\n${p.target.sha ? `${p.target.sha}\n` : ''}` : 'absent\n'}\0`)
    } else if (p.stat.startsWith('regular')) {
      kinds += p.sha ? 'f' : 'u'
      if (p.sha) shas.push(`${p.sha}  /the/file\0`)
    } else kinds += 'o'
  }
  return `k${kinds}\n${lines.join('\n')}\n\0${links.join('')}${shas.join('')}${after}`
}
