"""Drive a program in a pseudo-terminal with scripted keys (for tests).

usage: pty_drive.py TERM KEYS KILL_AFTER program args...
Sends each character of KEYS (a `\\n` after each when TERM is dumb) once the
program has asked as many questions as keys sent so far; with KILL_AFTER >
0, kills the program (SIGKILL) once that many answers were saved. Prints
everything the program wrote, then `exit: N`.
"""
import os
import pty
import select
import signal
import sys
import time

term, keys, kill_after, argv = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.execve(argv[0], argv, {"TERM": term, "PATH": "/usr/bin:/bin"})
out = b""
sent = 0
deadline = time.time() + 60
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if kill_after and out.count(b"saved:") >= kill_after:
        os.kill(pid, signal.SIGKILL)
        break
    asked = out.count(b"[q]uit")
    if sent < len(keys) and asked > sent:
        k = keys[sent]
        os.write(fd, (k + "\n").encode() if term == "dumb" else k.encode())
        sent += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
code = os.waitstatus_to_exitcode(status)
print(f"\nexit: {code}")
