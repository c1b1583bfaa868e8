#!/usr/bin/python3
"""faults.py CONCBENCH - injected faults (concbench/fault.h) end as recorded
failures with a clear reason, and nothing else goes wrong.

Each case runs concbench with CONCBENCH_FAULT set and checks:
  - the fault landed ("fault injected: SITE" on stderr);
  - the exit status (1: something failed, and the run says so);
  - each failed cell expected is in results.jsonl with its reason, and the
    cells expected to succeed did;
  - every line of results.jsonl is whole JSON; no temporary file is left;
  - no process of the run outlives it (its session is empty within 2 s);
  - no hang (60 s at most) and, in a sanitizer build, no leak or error
    report (the sanitizer would change the exit status).
ENOSPC in the middle of a results.jsonl line: the lines before it stay
byte for byte, the cell is said to be lost, and `matrix --resume` (without
the fault) stores just that cell.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

from kill_resume import wait_session_gone

SAMPLING = ["--repeat", "2", "--max-repeat", "2", "--warmup", "0"]
NOOP = ["--workload", "cpu.noop", "--tasks", "100"]
IMAGE = ["--workload", "cpu.image", "--param", "size=64", "--param", "result_bytes=100",
         "--tasks", "8"]
HTTP = ["--workload", "io.http", "--tasks", "20", "--param", "latency_ms=1"]

# name, CONCBENCH_FAULT, run's arguments, {strategy: reason regex (None: ok)}
CASES = [
    # fork: the harness's first is env.json's question to the CPython
    # interpreter; the cells' come after.
    ("fork_cell", "fork@2+/0", NOOP + ["--strategy", "serial,threads", "--workers", "2"],
     {"serial": r"^runner: fork failed: Resource temporarily unavailable$",
      "threads": r"^runner: fork failed"}),
    ("fork_worker", "fork@2/1", NOOP + ["--strategy", "serial,processes", "--workers", "2"],
     {"serial": None,
      "processes": r"processes: fork failed for worker 1 with 1 alive: Resource temporarily"}),
    # pipe: env.json's question takes three.
    ("pipe_cell", "pipe@4+/0", NOOP + ["--strategy", "serial,threads", "--workers", "2"],
     {"serial": r"^runner: cannot make the cell's pipes: Too many open files$",
      "threads": r"^runner: cannot make the cell's pipes"}),
    ("pipe_results", "pipe@1/1", IMAGE + ["--strategy", "serial,processes", "--workers", "2"],
     {"serial": None,
      "processes": r"processes: cannot open the channel for results: Too many open files"}),
    ("mmap", "mmap@1/1", NOOP + ["--strategy", "serial,processes", "--workers", "2"],
     {"serial": r"^setup: out of memory for 100 tasks$", "processes": r"out of memory"}),
    ("thread", "thread@2+/1", NOOP + ["--strategy", "serial,threads,gil", "--workers", "4"],
     {"serial": None,
      "threads": r"threads: pthread_create failed after 1 threads: Resource temporarily",
      "gil": r"gil: pthread_create failed after 1 threads"}),
    ("thread_results", "thread@1/1", IMAGE + ["--strategy", "serial,processes", "--workers", "2"],
     {"serial": None,
      "processes": r"cannot open the channel for results: Resource temporarily unavailable"}),
    ("alloc", "alloc@1/1", NOOP + ["--strategy", "serial,threads,processes", "--workers", "4"],
     {"serial": None, "threads": r"threads: out of memory for 4 thread ids",
      "processes": r"processes: out of memory for 4 pids"}),
    ("socket", "socket@1+/1", HTTP + ["--strategy", "serial,threads,eventloop", "--workers", "4"],
     {"serial": r"task \d+: Couldn't connect to server",
      "threads": r"Couldn't connect", "eventloop": r"Couldn't connect"}),
    ("curl", "curl@5/1", HTTP + ["--strategy", "serial,threads,eventloop", "--workers", "4"],
     {"serial": r"task \d+: Failure when receiving data from the peer",
      "threads": r"Failure when receiving", "eventloop": r"Failure when receiving"}),
]

MATRIX = """\
repeat 2
max-repeat 2
warmup 0
cpu.noop tasks=100 workers=1,2 strategies=serial,threads,processes
"""


def run(args, fault):
    env = dict(os.environ)
    if fault:
        env["CONCBENCH_FAULT"] = fault
    else:
        env.pop("CONCBENCH_FAULT", None)
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         start_new_session=True, text=True)
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None, "", "hung: killed after 60 s", []
    return p.returncode, out, err, wait_session_gone(p.pid)


def lines_of(path):
    data = open(path, "rb").read() if os.path.exists(path) else b""
    if data and not data.endswith(b"\n"):
        raise ValueError("a torn last line")
    return [json.loads(line) for line in data.splitlines()]


def common_checks(name, folder, rc, err, left, want_rc, site):
    problems = []
    if rc != want_rc:
        problems.append("exit %s, not %d" % (rc, want_rc))
    if site and "fault injected: %s call" % site not in err:
        problems.append("the fault did not land")
    if re.search(r"AddressSanitizer|LeakSanitizer|ThreadSanitizer|runtime error:", err):
        problems.append("a sanitizer report")
    if left:
        problems.append("processes left: %s" % left)
    for root, _, files in os.walk(folder):
        problems += ["temporary file left: %s" % f for f in files if ".tmp" in f]
    return problems


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="faults.")
    failed = 0
    for name, fault, args, expect in CASES:
        folder = os.path.join(work, name)
        rc, out, err, left = run([binary, "run"] + args + SAMPLING + ["--out", folder], fault)
        problems = common_checks(name, folder, rc, err, left, 1, fault.split("@")[0])
        try:
            cells = {c["strategy"]: c for c in lines_of(os.path.join(folder, "results.jsonl"))}
        except (ValueError, OSError) as e:
            cells = {}
            problems.append("results.jsonl: %s" % e)
        for strategy, reason in expect.items():
            c = cells.get(strategy)
            if c is None:
                problems.append("no %s cell stored" % strategy)
            elif reason is None and c["status"] != "ok":
                problems.append("%s: %s, not ok (%s)" % (strategy, c["status"], c["error"]))
            elif reason is not None and (c["status"] == "ok" or
                                         not re.search(reason, c["error"] or "")):
                problems.append("%s: %s with %r, not /%s/" % (strategy, c["status"], c["error"],
                                                             reason))
        print("%-16s %-12s %s" % (name, fault, "ok" if not problems else "FAIL"))
        for p in problems:
            print("    " + p)
        if problems:
            print("    stderr: " + err[-1500:].replace("\n", "\n    "))
            failed = 1

    # ENOSPC halfway through the second results.jsonl line of a matrix.
    profile = os.path.join(work, "m.profile")
    open(profile, "w").write(MATRIX)
    folder = os.path.join(work, "enospc")
    path = os.path.join(folder, "results.jsonl")
    rc, out, err, left = run([binary, "matrix", "--profile", profile, "--out", folder],
                             "append@2:ENOSPC")
    problems = common_checks("enospc", folder, rc, err, left, 1, "append")
    try:
        before = open(path, "rb").read()
        kept = lines_of(path)
    except (ValueError, OSError) as e:
        before, kept = b"", []
        problems.append("results.jsonl after ENOSPC: %s" % e)
    if len(kept) != 4:
        problems.append("%d lines after ENOSPC, 4 expected (5 cells, 1 lost)" % len(kept))
    if "cannot append to '%s': No space left on device; this cell is not stored" % path not in err:
        problems.append("the lost cell is not said")
    if "1 cell measured could not be stored" not in out or "--resume %s" % folder not in out:
        problems.append("the summary does not say a cell was lost and how to run it again")
    rc, out, err, left = run([binary, "matrix", "--resume", folder], None)
    problems += common_checks("enospc resumed", folder, rc, err, left, 0, None)
    try:
        after = open(path, "rb").read()
        if not after.startswith(before):
            problems.append("the lines before the fault changed on resume")
        if len(lines_of(path)) != 5:
            problems.append("%d lines after the resume, 5 expected" % len(lines_of(path)))
    except (ValueError, OSError) as e:
        problems.append("results.jsonl after the resume: %s" % e)
    print("%-16s %-12s %s" % ("enospc+resume", "append@2", "ok" if not problems else "FAIL"))
    for p in problems:
        print("    " + p)
    failed |= bool(problems)

    # A run file that cannot be synced (env.json), or renamed (profile.txt:
    # the matrix cannot start): said, exit 1, what was measured kept.
    for fault, file_, cells in (("fsync@3", "env.json", 5), ("rename@1", "profile.txt", 0)):
        folder = os.path.join(work, fault.split("@")[0])
        rc, out, err, left = run([binary, "matrix", "--profile", profile, "--out", folder], fault)
        problems = common_checks(fault, folder, rc, err, left, 1, fault.split("@")[0])
        if not re.search(r"cannot write '%s/%s': Input/output error" % (re.escape(folder), file_),
                         err):
            problems.append("no line naming %s" % file_)
        try:
            n = len(lines_of(os.path.join(folder, "results.jsonl")))
        except (ValueError, OSError) as e:
            n = -1
            problems.append("results.jsonl: %s" % e)
        if n != cells:
            problems.append("%d cells stored, %d expected" % (n, cells))
        print("%-16s %-12s %s" % (fault.split("@")[0], fault, "ok" if not problems else "FAIL"))
        for p in problems:
            print("    " + p)
        failed |= bool(problems)

    if failed:
        print("(kept for a look: %s)" % work)
    else:
        shutil.rmtree(work)
    return failed


if __name__ == "__main__":
    sys.exit(main())
