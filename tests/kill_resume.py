#!/usr/bin/python3
"""kill_resume.py CONCBENCH [KILLS [EACH]] - safe to kill at any moment.

A small matrix (io.http on the embedded server, cpu.sumsq with a CPython
strategy, io.sleep) is started, then killed at a random moment and resumed
with `matrix --resume`, over and over, until it finishes on its own; then
again in a new folder, until KILLS (default 20) SIGKILLs have landed, then
EACH (default 5) SIGTERMs and as many SIGINTs the same way. A folder
killed before its plan was written is started again (--resume says so). After every kill:
  - no process of the killed run is left (the harness, its latency server,
    its cell processes, their workers, a CPython interpreter and its pool):
    every process of the run's session is gone within 2 s;
  - every line of results.jsonl but a last, torn one parses.
At the end of every folder:
  - exactly the cell set of an uninterrupted run of the same profile (run
    once first), each cell once;
  - no torn line, no temporary file left anywhere in the folder.
Prints the kills that landed, by signal and by what the run was doing.
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

PROFILE = """\
repeat 2
max-repeat 2
warmup 0
retakes 0
max-time 1
io.http tasks=20 latency_ms=5 bytes=512 workers=1,4 strategies=serial,threads,eventloop,processes
cpu.sumsq tasks=4 n=20000 workers=2 strategies=serial,threads,py.threading
io.sleep tasks=8 latency_ms=10 workers=4 strategies=serial,threads,processes,py.multiprocessing
"""


def session_processes(sid):
    """Pids of live processes in session sid (zombies count: unreaped)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = open("/proc/%s/stat" % name).read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid:
            found.append((int(name), stat.split("(", 1)[1].rsplit(")", 1)[0], fields[0]))
    return found


def cell_key(obj):
    return json.dumps([obj["workload"], obj["strategy"], obj["workers"], obj["tasks"],
                       obj["params"], obj["strategy_params"], obj.get("runtime")],
                      sort_keys=True)


def read_lines(path, allow_torn):
    """The cells' keys, one per whole line; fails on a bad line."""
    if not os.path.exists(path):
        return []
    data = open(path, "rb").read()
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: b"" when nothing is torn
    if tail and not allow_torn:
        raise AssertionError("a torn last line: %r" % tail[:80])
    return [cell_key(json.loads(line)) for line in lines]


def temporaries(folder):
    left = []
    for root, _, files in os.walk(folder):
        for f in files:
            if ".tmp" in f:
                left.append(os.path.join(root, f))
    return left


class Harness:
    def __init__(self, binary, profile, folder):
        self.binary, self.profile, self.folder = binary, profile, folder

    def start(self, resume):
        args = [self.binary, "matrix"]
        args += ["--resume", self.folder] if resume else ["--profile", self.profile,
                                                         "--out", self.folder]
        self.log = open(self.folder + ".log", "ab")
        return subprocess.Popen(args, stdout=self.log, stderr=self.log, start_new_session=True)


def wait_session_gone(sid, timeout=2.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        left = session_processes(sid)
        if not left:
            return []
        time.sleep(0.05)
    return session_processes(sid)


def main():
    binary = sys.argv[1]
    kills_wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    each = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rng = random.Random(int(os.environ.get("KILL_SEED", time.time_ns() % 1000003)))
    work = tempfile.mkdtemp(prefix="kill-resume.")
    profile = os.path.join(work, "p.profile")
    open(profile, "w").write(PROFILE)
    failed = []

    # The cell set of an uninterrupted run, and how long one takes.
    whole = os.path.join(work, "whole")
    start = time.monotonic()
    h = Harness(binary, profile, whole).start(False)
    rc = h.wait(timeout=300)
    span = time.monotonic() - start
    if rc != 0:
        print("FAIL: the uninterrupted matrix exited %d:\n%s" % (rc, open(whole + ".log").read()))
        return 1
    expected = sorted(read_lines(os.path.join(whole, "results.jsonl"), False))
    if len(set(expected)) != len(expected):
        print("FAIL: the uninterrupted run stored a cell twice")
        return 1

    plan = [signal.SIGKILL] * kills_wanted + [signal.SIGTERM] * each + [signal.SIGINT] * each
    landed = {}
    folders = 0
    while plan:
        folders += 1
        folder = os.path.join(work, "run%d" % folders)
        harness = Harness(binary, profile, folder)
        while True:
            # Killed before its plan was written, a folder has nothing to
            # resume (--resume says so): it is started again, as a user would.
            resume = os.path.exists(os.path.join(folder, "matrix.json"))
            p = harness.start(resume)
            sig = plan[0] if plan else None
            # Anywhere in the run: its start, a cell, the report, the charts.
            delay = rng.uniform(0.02, span * 0.8)
            try:
                rc = p.wait(timeout=delay) if sig else p.wait(timeout=300)
                finished = True
            except subprocess.TimeoutExpired:
                finished = False
            if not finished:
                stored = len(read_lines(os.path.join(folder, "results.jsonl"), True))
                os.kill(p.pid, sig)
                rc = p.wait(timeout=60)
                plan.pop(0)
                name = signal.Signals(sig).name
                landed[name] = landed.get(name, 0) + 1
                left = wait_session_gone(p.pid)
                if left:
                    failed.append("after %s at %.2f s (%d cells stored), left running: %s"
                                  % (name, delay, stored, left))
                    for pid, _, _ in left:
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
                if sig != signal.SIGKILL and rc == 0 and stored < len(expected):
                    failed.append("%s: the harness exited 0 with the matrix unfinished" % name)
                try:
                    read_lines(os.path.join(folder, "results.jsonl"), True)
                except (ValueError, AssertionError) as e:
                    failed.append("after %s: results.jsonl damaged: %s" % (name, e))
                    break
                continue
            if rc != 0:
                failed.append("%s: the resumed matrix exited %d; log:\n%s"
                              % (folder, rc, open(folder + ".log").read()[-3000:]))
                break
            try:
                got = sorted(read_lines(os.path.join(folder, "results.jsonl"), False))
            except (ValueError, AssertionError) as e:
                failed.append("%s: results.jsonl damaged at the end: %s" % (folder, e))
                break
            if got != expected:
                missing = set(expected) - set(got)
                extra = [k for k in got if got.count(k) > 1 or k not in expected]
                failed.append("%s: %d cells, %d expected; missing %s; twice or unknown %s"
                              % (folder, len(got), len(expected), sorted(missing)[:3],
                                 sorted(set(extra))[:3]))
            tmp = temporaries(folder)
            if tmp:
                failed.append("%s: temporary files left: %s" % (folder, tmp))
            break
    print("kills landed: %s, over %d folders of %d cells (an uninterrupted run: %.1f s)"
          % (", ".join("%d %s" % (n, s) for s, n in sorted(landed.items())), folders,
             len(expected), span))
    for f in failed:
        print("FAIL: " + f)
    if not failed:
        subprocess.run(["rm", "-rf", work])
    else:
        print("(kept for a look: %s)" % work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
