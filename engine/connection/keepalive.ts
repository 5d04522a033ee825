/**
 * ServerAliveInterval and ServerAliveCountMax, kept here rather than by ssh2: ssh2 probes every
 * connection once an interval whatever it hears, which over a fleet is a round trip per host every
 * 5 s for the whole run (a 1,000-host no-op: ~9,000 probes, 5% of the controller's CPU, and the
 * hosts' sshd answering each). As in OpenSSH, a probe goes only after an interval of silence, and
 * only while a command waits on the host; a connection waiting for its next task is probed once a
 * minute, which keeps NAT and firewall state alive (AWS's NAT gateway forgets a flow after 350 s).
 * Silence from the first unanswered probe for (count - 1) intervals more, and the link is lost.
 *
 * One timer per connection, set for the moment something is due (not a fixed-phase interval, which
 * gave a dead link up anywhere between count and count + 1 intervals): what arrives in between only
 * moves lastHeard, and the timer, firing early, sets itself again.
 */
export const IDLE_PROBE_MS = 60_000

export interface KeepaliveOptions {
  intervalMs: number
  countMax: number
  /** send one probe (an SSH global request the host must answer) */
  probe: () => void
  /** the host answered nothing for the whole bound: give the link up */
  lost: () => void
}

export class Keepalive {
  private lastHeard = Date.now()
  private firstProbe?: number
  private waiting = 0
  private timer?: NodeJS.Timeout
  private timerAt = Number.POSITIVE_INFINITY
  private stopped = false

  constructor(private readonly o: KeepaliveOptions) {
    this.wakeAt(this.lastHeard + this.silenceAllowed())
  }

  /** Anything arrived from the host. */
  heard(): void {
    this.lastHeard = Date.now()
    this.firstProbe = undefined
  }

  /** A command starts waiting on the host: the silence that counts starts now, not at the last task. */
  begin(): void {
    if (this.waiting++ > 0 || this.firstProbe !== undefined) return
    this.lastHeard = Date.now()
    const due = this.lastHeard + this.o.intervalMs
    if (this.timerAt > due) this.wakeAt(due)
  }

  end(): void {
    this.waiting = Math.max(0, this.waiting - 1)
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  /** how long the host may be silent before a probe: an interval while a command waits, a minute otherwise */
  private silenceAllowed(): number {
    return this.waiting > 0 ? this.o.intervalMs : Math.max(this.o.intervalMs, IDLE_PROBE_MS)
  }

  private wakeAt(at: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    this.timerAt = at
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - Date.now()))
    this.timer.unref()
  }

  private tick(): void {
    this.timerAt = Number.POSITIVE_INFINITY
    const now = Date.now()
    if (this.firstProbe === undefined) {
      const due = this.lastHeard + this.silenceAllowed()
      if (now < due) {
        this.wakeAt(due)
        return
      }
      this.firstProbe = now
    }
    const giveUpAt = this.firstProbe + this.o.intervalMs * Math.max(1, this.o.countMax - 1)
    if (now >= giveUpAt) {
      this.stop()
      this.o.lost()
      return
    }
    this.o.probe()
    this.wakeAt(Math.min(now + this.o.intervalMs, giveUpAt))
  }
}
