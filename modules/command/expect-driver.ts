/**
 * The host side of `expect`: python3 (the standard library only; Ansible's module needs pexpect)
 * running a program on a pseudo-terminal as pexpect.run does for Ansible: the program looked up on
 * PATH first, a 24x80 terminal, echo off unless asked; after each read the earliest match among the
 * questions (ties: the first listed; the buffer consumed up to the match) gets its answer and a
 * newline; `timeout` seconds at most between two answers (none: no limit), then the program is
 * stopped. The settings arrive as JSON on stdin (answers may be passwords: never in argv).
 *
 * Out: the transcript on stdout; the program's exit status, or on stderr one line
 * `ACPLAY-EXPECT <reason>` (exit 1) when it could not start, ran out of answers or timed out.
 */
export const EXPECT_MARK = 'ACPLAY-EXPECT'

export const EXPECT_DRIVER = `import errno, fcntl, json, os, pty, re, select, shutil, signal, struct, sys, termios, time
cfg = json.load(sys.stdin)
argv = cfg["argv"]
def text(v):
    return v if isinstance(v, str) else ("True" if v is True else "False" if v is False else str(v))
def answer(v):
    return text(v).encode("utf-8", "surrogateescape").rstrip(b"\\n") + b"\\n"
def give_up(reason, out=b""):
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.stderr.write("${EXPECT_MARK} " + reason + "\\n")
    sys.exit(1)
prog = argv[0] if "/" in argv[0] else shutil.which(argv[0])
if not prog or not os.path.isfile(prog) or not os.access(prog, os.X_OK):
    give_up("The command was not found or was not executable: %s." % argv[0])
questions = [(re.compile(text(q).encode("utf-8", "surrogateescape"), re.DOTALL), text(q), a) for q, a in cfg["responses"]]
left = {}
pid, fd = pty.fork()
if pid == 0:
    try:
        if not cfg["echo"]:
            attrs = termios.tcgetattr(0)
            attrs[3] &= ~termios.ECHO
            termios.tcsetattr(0, termios.TCSANOW, attrs)
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execv(prog, argv)
    finally:
        os._exit(127)
def stop():
    for sig in (signal.SIGHUP, signal.SIGCONT, signal.SIGINT):
        try:
            os.kill(pid, sig)
        except OSError:
            pass
    time.sleep(0.1)
    if os.waitpid(pid, os.WNOHANG)[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return None
out, buf = b"", b""
limit = cfg["timeout"]
deadline = None if limit is None else time.monotonic() + limit
eof = timed_out = False
while True:
    best = None
    for i, (rx, q, a) in enumerate(questions):
        m = rx.search(buf)
        if m and (best is None or m.start() < best[1].start()):
            best = (i, m)
    if best:
        i, m = best
        seg, buf = buf[: m.end()], buf[m.end():]
        out += seg
        rx, q, a = questions[i]
        if isinstance(a, list):
            nxt = left.setdefault(i, iter(a))
            a = next(nxt, None)
            if a is None:
                stop()
                give_up("No remaining responses for '%s', output was '%s'" % (q, seg), out + buf)
        os.write(fd, answer(a))
        deadline = None if limit is None else time.monotonic() + limit
        continue
    if eof:
        break
    wait = None if deadline is None else max(0, deadline - time.monotonic())
    if not select.select([fd], [], [], wait)[0]:
        timed_out = True
        break
    try:
        data = os.read(fd, 2000)
    except OSError as e:
        if e.errno != errno.EIO:
            raise
        data = b""
    if data:
        buf += data
    else:
        eof = True
out += buf
os.close(fd)
if timed_out:
    stop()
    give_up("timeout", out)
time.sleep(0.05)
done, status = os.waitpid(pid, os.WNOHANG)
if done == 0:
    stop()
    give_up("stopped", out)
sys.stdout.buffer.write(out)
sys.stdout.flush()
if os.WIFSIGNALED(status):
    give_up("signal %d" % os.WTERMSIG(status), b"")
sys.exit(os.WEXITSTATUS(status))
`
