#!/usr/bin/python3
"""memory.py CONCBENCH CHECK [RUN_A] - a cell's memory (PSS beside RSS) and
the fixture's CPU, read back from results.jsonl. No timing is asserted.

  pss           a small cpu.image run: every cell and sample has a PSS that
                is positive and at most its RSS; processes with 4 workers
                or more, strictly below (libc and the binary are shared);
                summary.csv carries the cell's pss_kb; the cores-busy
                chart has no server part (no fixture)
  fixture_cpu   an io.http run: every sample's fixture CPU is finite and
                positive, read from the fixture's CPU clock, and finer than
                /proc's 10 ms ticks; report.md says it as time and cores; the
                cores-busy chart stacks the server's part with its key
  stored RUN_A  a stored run given PSS figures: report.md compares PSS at the
                widest worker count with RSS beside it; without them it
                falls back to peak RSS and says so; out-of-range memory or
                an unknown fixture clock makes the line unreadable
"""
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def run(bin_path, out, *args):
    cmd = [bin_path, "run", *args, "--out", out]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        print("--- command:", " ".join(cmd))
        print(p.stdout)
        sys.exit(f"concbench run exited with {p.returncode}")
    with open(os.path.join(out, "results.jsonl")) as f:
        return [json.loads(line) for line in f]


def read(path):
    with open(path) as f:
        return f.read()


def name(cell):
    return f"{cell['strategy']}/{cell['workers']}"


def check_pss(bin_path, tmp):
    out = os.path.join(tmp, "pss")
    cells = run(bin_path, out, "--workload", "cpu.image", "--tasks", "8", "--param", "size=192",
                "--param", "radius=2", "--strategy", "serial,threads,processes,eventloop",
                "--workers", "1,4,8", "--repeat", "2", "--max-repeat", "2", "--warmup", "0")
    check(len(cells) == 10, f"expected 10 cells, got {len(cells)}")
    for c in cells:
        n = name(c)
        check(c["status"] == "ok", f"{n}: status {c['status']}")
        pss, rss = c.get("pss_kb"), c.get("rss_kb")
        check(isinstance(pss, int) and isinstance(rss, int), f"{n}: pss_kb/rss_kb not stored: {pss}, {rss}")
        if not (isinstance(pss, int) and isinstance(rss, int)):
            continue
        check(0 < pss <= rss, f"{n}: expected 0 < pss_kb <= rss_kb, got {pss}, {rss}")
        many = c["strategy"] == "processes" and c["workers"] >= 4
        if many:
            check(pss < rss, f"{n}: PSS {pss} not below RSS {rss} over {c['workers']} processes")
        for k, s in enumerate(c["samples"]):
            sp, sr = s.get("pss_kb"), s.get("rss_kb")
            check(isinstance(sp, int) and isinstance(sr, int) and 0 < sp <= sr,
                  f"{n} sample {k + 1}: expected 0 < pss_kb <= rss_kb, got {sp}, {sr}")
            if many and isinstance(sp, int) and isinstance(sr, int):
                check(sp < sr, f"{n} sample {k + 1}: PSS {sp} not below RSS {sr}")
        check(c.get("fixture_cpu_clock") is None, f"{n}: a fixture clock without a fixture")
    with open(os.path.join(out, "summary.csv")) as f:
        rows = list(csv.DictReader(f))
    for c, row in zip(cells, rows):
        check(row.get("pss_kb") == str(c["pss_kb"]) and row.get("rss_kb") == str(c["rss_kb"]),
              f"{name(c)}: summary.csv pss_kb/rss_kb {row.get('pss_kb')}/{row.get('rss_kb')}, "
              f"results.jsonl {c['pss_kb']}/{c['rss_kb']}")
    # Cells of a few ms: long enough for cores busy, so the chart is drawn.
    busy = read(os.path.join(out, "plots", "01-cpu.image-busy.svg"))
    check("server (helper process)" not in busy, "a server part in a chart without a fixture")


def check_fixture_cpu(bin_path, tmp):
    out = os.path.join(tmp, "http")
    cells = run(bin_path, out, "--workload", "io.http", "--tasks", "100", "--param", "latency_ms=1",
                "--strategy", "serial,threads,eventloop", "--workers", "4", "--repeat", "3",
                "--max-repeat", "3", "--warmup", "0")
    finer = 0
    for c in cells:
        n = name(c)
        check(c.get("fixture_cpu_clock") == "cpu-clock",
              f"{n}: fixture_cpu_clock {c.get('fixture_cpu_clock')}, expected cpu-clock")
        check(isinstance(c["fixture_cpu_s"], float) and c["fixture_cpu_s"] > 0,
              f"{n}: cell fixture_cpu_s {c['fixture_cpu_s']}")
        for k, s in enumerate(c["samples"]):
            v = s["fixture_cpu_s"]
            ok = isinstance(v, (int, float)) and math.isfinite(v) and v > 0
            check(ok, f"{n} sample {k + 1}: fixture_cpu_s {v}")
            # Ticks are whole hundredths of a second; the CPU clock is not.
            if ok and abs(v * 100 - round(v * 100)) > 1e-6:
                finer += 1
    check(finer > 0, "every sample's fixture CPU is a whole number of 10 ms ticks")
    report = read(os.path.join(out, "report.md"))
    check(re.search(r"helper process \(its server\) used [0-9.]+ (ms|us|s) of CPU per sample "
                    r"\(median\) during the winner's samples: [0-9.]+ cores; with the client's "
                    r"[0-9.]+ cores, [0-9.]+ of the [0-9]+ cores were busy", report),
          "report.md does not give the server's CPU as time and cores")
    busy = read(os.path.join(out, "plots", "01-io.http-busy.svg"))
    check("server (helper process)" in busy, "the cores-busy chart has no server key")
    dat = read(os.path.join(out, "plots", "01-io.http-busy.dat")).splitlines()
    check(len(dat) == 3 and all(float(line.rsplit(" ", 3)[2]) > 0 for line in dat),
          f"the chart's data lacks the server's cores: {dat}")


def with_lines(src, dst, edit):
    os.makedirs(dst)
    shutil.copy(os.path.join(src, "env.json"), dst)
    with open(os.path.join(src, "results.jsonl")) as f:
        cells = [json.loads(line) for line in f]
    for c in cells:
        edit(c)
    with open(os.path.join(dst, "results.jsonl"), "w") as f:
        for c in cells:
            f.write(json.dumps(c) + "\n")


def report(bin_path, folder):
    return subprocess.run([bin_path, "report", folder], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def check_stored(bin_path, tmp, run_a):
    # At 2 workers cpu.image has processes (2 processes) beside threads,
    # eventloop and openmp (one process each, compared at their peak).
    pss = {("processes", 2): (30720, 40960)}

    def add_pss(c):
        c["pss_kb"], c["rss_kb"] = pss.get((c["strategy"], c["workers"]), (1024, 2048))
        for s in c["samples"]:
            s["pss_kb"], s["rss_kb"] = c["pss_kb"], c["rss_kb"]

    with_lines(run_a, os.path.join(tmp, "pss"), add_pss)
    p = report(bin_path, os.path.join(tmp, "pss"))
    check(p.returncode == 0, f"report on PSS figures failed: {p.stdout}")
    text = read(os.path.join(tmp, "pss", "report.md"))
    want = ("- Memory at 2 workers: processes 30 MB (its 2 processes' proportional share, PSS; "
            "40 MB if each one's resident pages were counted whole), ")
    check(want in text, f"report.md lacks: {want}")

    # Without PSS (the stored file as it is): peak RSS, and said so.
    p = report(bin_path, shutil.copytree(run_a, os.path.join(tmp, "old")))
    text = read(os.path.join(tmp, "old", "report.md"))
    want = ("- Memory at 2 workers: processes 39 MB (peak resident summed over its 2 "
            "processes: pages they share are counted in each), threads 9.8 MB (one process, "
            "at its peak) (4.0x).")
    check(p.returncode == 0 and want in text, f"report.md lacks: {want}")

    # Out of range, or not a number, or an unknown clock: not a cell.
    bad = [("negative", lambda c: c.update(pss_kb=-1)),
           ("text", lambda c: c.update(rss_kb="12")),
           ("huge", lambda c: c.update(pss_kb=1e15)),
           ("sample", lambda c: c.update(samples=[{"wall_s": c["wall_s"][0], "pss_kb": -5}])),
           ("clock", lambda c: c.update(fixture_cpu_clock="sundial"))]
    for label, edit in bad:
        folder = os.path.join(tmp, "bad-" + label)
        with_lines(run_a, folder, edit)
        p = report(bin_path, folder)
        check(p.returncode != 0 and "fields missing or out of range" in p.stdout,
              f"a line with a bad value ({label}) was read: exit {p.returncode}, {p.stdout}")


def main():
    bin_path, what = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp()
    try:
        if what == "pss":
            check_pss(bin_path, tmp)
        elif what == "fixture_cpu":
            check_fixture_cpu(bin_path, tmp)
        elif what == "stored":
            check_stored(bin_path, tmp, sys.argv[3])
        else:
            sys.exit(f"unknown check {what}")
    finally:
        shutil.rmtree(tmp)
    for f in failures:
        print(f)
    sys.exit(1 if failures else 0)


main()
