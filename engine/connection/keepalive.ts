/**
 * ServerAliveInterval and ServerAliveCountMax, kept here rather than by ssh2: ssh2 probes every
 * connection once an interval whatever it hears, which over a fleet is a round trip per host every
 * 5 s for the whole run (a 1,000-host no-op: ~9,000 probes, 5% of the controller's CPU, and the
 * hosts' sshd answering each). As in OpenSSH, a probe goes only after an interval of silence, and
 * only while a command waits on the host; a connection waiting for its next task is probed once a
 * minute, which keeps NAT and firewall state alive (AWS's NAT gateway forgets a flow after 350 s).
 * Silence from the first unanswered probe for (count - 1) intervals more, and the link is lost.
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
  private readonly timer: NodeJS.Timeout

  constructor(private readonly o: KeepaliveOptions) {
    this.timer = setInterval(() => this.tick(), o.intervalMs)
    this.timer.unref()
  }

  /** Anything arrived from the host. */
  heard(): void {
    this.lastHeard = Date.now()
    this.firstProbe = undefined
  }

  /** A command starts waiting on the host: the silence that counts starts now, not at the last task. */
  begin(): void {
    if (this.waiting++ === 0 && this.firstProbe === undefined) this.lastHeard = Date.now()
  }

  end(): void {
    this.waiting = Math.max(0, this.waiting - 1)
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private tick(): void {
    const now = Date.now()
    if (this.firstProbe !== undefined && now - this.firstProbe >= this.o.intervalMs * (this.o.countMax - 1)) {
      this.stop()
      this.o.lost()
      return
    }
    const due = this.waiting > 0 ? this.o.intervalMs : Math.max(this.o.intervalMs, IDLE_PROBE_MS)
    if (now - this.lastHeard < due) return
    this.firstProbe ??= now
    this.o.probe()
  }
}
