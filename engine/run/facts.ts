/**
 * The play's "Gathering Facts" task (gather_facts, and gathering = implicit|explicit|smart from
 * ansible.cfg): which hosts gather, and the gathering folded with the first tasks' reads into one
 * round trip. What facts become, and the fact cache, are in host-facts.ts.
 */
import type { ModuleTask } from '../playbook/types.js'
import { DEFAULT_FACT_PATH } from '../../modules/setup.js'
import { emit, emitAsync, record, taskRef, type PlayContext } from './context.js'
import { activeHosts, selected } from './gate.js'
import type { HostState } from './host-state.js'
import { factSettings, loadCached, setHostFacts, type FactSettings } from './host-facts.js'
import { readAhead } from './read-ahead.js'
import { enter, rootScope } from './scope.js'
import { runModuleTask } from './task.js'

/** Before a play's tasks: the "Gathering Facts" task on the hosts that need it (one round trip each). */
export async function gatherFacts(pc: PlayContext, hosts: HostState[]): Promise<void> {
  const rc = pc.run
  const s = factSettings(rc)
  for (const h of hosts) loadCached(rc, h)
  const task = gatherTask(pc, s)
  // Ansible's gathering task is tagged `always`, unless the play has tags (then it has the play's)
  if (!selected(pc, rootScope(), task)) return
  // rendered when the play started (run/play.ts)
  const set = pc.play.gather_facts as boolean | undefined
  const implied = set === undefined || set
  const due = activeHosts(hosts).filter((h) => {
    if (s.gathering === 'explicit') return set === true
    if (s.gathering === 'smart') return implied && !h.hostFacts._ansible_facts_gathered
    return implied
  })
  if (due.length === 0) return
  const ref = taskRef(task)
  emit(
    rc,
    'onTaskStart',
    ref,
    due.map((h) => h.name),
  )
  // The gathering and the first tasks' reads in one round trip: nothing changes between them, so
  // the first task's read is never wasted (the rest as far as the run's quiet streak allows).
  // A play that starts with a role (a block) reads the role's first tasks, in the scope the block
  // gives them; an answer is keyed by its exact question and user, so a question asked in another
  // scope than the gathering's own is only a read the gathering repeats, never a wrong answer.
  let first = [pc.play.pre_tasks, [...pc.play.roles, ...pc.play.tasks], pc.play.post_tasks].find((s) => s.length) ?? []
  let scope = rootScope()
  const head = first[0]
  if (head?.kind === 'block' && head.when.length === 0) {
    scope = enter(scope, head)
    first = head.block
  }
  await readAhead(pc, [task, ...first], 0, due, scope, Math.max(2, rc.readAhead.quiet + 1))
  const results = await Promise.all(due.map((h) => rc.limit(() => runModuleTask(pc, task, h, rootScope()))))
  for (const h of due) if (!h.failed && !h.unreachable) setHostFacts(rc, h, { _ansible_facts_gathered: true })
  for (const r of results) record(pc, r)
  await emitAsync(rc, 'onTaskEnd', ref)
}

function gatherTask(pc: PlayContext, s: FactSettings): ModuleTask {
  const play = pc.play
  const args: Record<string, unknown> = {}
  const subset = play.gather_subset ?? s.gatherSubset
  if (subset !== undefined) args.gather_subset = subset
  const timeout = play.gather_timeout ?? s.gatherTimeout
  if (timeout !== undefined) args.gather_timeout = timeout
  args.fact_path = play.fact_path ?? s.factPath ?? DEFAULT_FACT_PATH
  return {
    kind: 'module',
    name: 'Gathering Facts',
    module: 'setup',
    args,
    pos: play.pos,
    when: [],
    tags: play.tags.length ? [] : ['always'],
    vars: {},
    notify: [],
  }
}
