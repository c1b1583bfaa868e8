#!/usr/bin/python3
"""calibrate.py CONCBENCH CHECK - `concbench calibrate` end to end, each run
with a cache folder of its own ($XDG_CACHE_HOME in a temp folder). Checks
the shape of what it prints, never a timing:
  items  --json and --out: every probe named in docs/calibration.md, each a
         median inside its interval, with at least 95% coverage
  cache  a second call reuses the first's figures (and prints the table);
         --force measures again and refreshes the cache
  cache_invalid  a cache that cannot be written is no cache, and no
         failure; one from another boot, or a broken file, is measured again
Uses nothing beyond Debian's python3-minimal."""
import json
import os
import subprocess
import sys
import tempfile

NAMES = [
    "clock_read", "atomic_add", "atomic_add_contended", "mutex_lock_unlock",
    "mutex_lock_unlock_contended", "thread_create_join", "fork_wait", "fork_exec_wait",
    "context_switch_threads", "context_switch_processes", "wakeup_other_cpu", "timer_dispatch",
    "loop_dispatch", "page_fault_minor", "memcpy_bandwidth", "http_request_keepalive",
    "http_request_fresh",
]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def calibrate(binary, cache, *args):
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    p = subprocess.run([binary, "calibrate", *args], env=env, capture_output=True, text=True,
                       timeout=280)
    if p.returncode != 0:
        fail("calibrate %s exited %d\nstdout:\n%s\nstderr:\n%s"
             % (" ".join(args), p.returncode, p.stdout, p.stderr))
    return p.stdout


def calibrate_json(binary, cache, *args):
    out = calibrate(binary, cache, "--json", *args)
    try:
        return json.loads(out)
    except ValueError as e:
        fail("--json printed no JSON (%s):\n%s" % (e, out))


def check_document(doc):
    if doc.get("schema") != 1:
        fail("schema is %r" % doc.get("schema"))
    key = doc.get("key") or {}
    for field in ("boot_id", "kernel", "binary", "online_cpus"):
        if field not in key:
            fail("key has no %s: %r" % (field, key))
    other = doc.get("other_cpus_busy", "absent")
    if other is not None and not (isinstance(other, float) and other >= 0):
        fail("other_cpus_busy is %r" % other)
    names = [it.get("name") for it in doc["items"]]
    if names != NAMES:
        fail("items are %r, expected %r" % (names, NAMES))
    for it in doc["items"]:
        name = it["name"]
        if "error" in it:
            fail("%s failed: %s" % (name, it["error"]))
        med, lo, hi = it["median"], it["ci_lo"], it["ci_hi"]
        if not (med > 0 and lo <= med <= hi):
            fail("%s: median %r not inside [%r, %r] or not positive" % (name, med, lo, hi))
        if not (0.95 <= it["coverage"] <= 1 and it["n"] >= 6 and it["batch_ops"] >= 1):
            fail("%s: coverage %r, n %r, batch_ops %r" % (name, it["coverage"], it["n"],
                                                          it["batch_ops"]))
        want_unit = "bytes/s" if name == "memcpy_bandwidth" else "s"
        if it["unit"] != want_unit or not it["description"]:
            fail("%s: unit %r, description %r" % (name, it["unit"], it["description"]))
        if name.endswith("_contended") and it.get("threads", 1) != key["online_cpus"] \
                and key["online_cpus"] > 1:
            fail("%s: %r threads, %r CPUs online" % (name, it.get("threads"), key["online_cpus"]))


def figures(doc):
    """What a calibration measured: everything but whether it was reused."""
    return {k: v for k, v in doc.items() if k != "reused"}


def check_items(binary, tmp):
    out = os.path.join(tmp, "out.json")
    doc = calibrate_json(binary, os.path.join(tmp, "cache"), "--out", out)
    check_document(doc)
    if doc.get("reused") is not False:
        fail("a first calibration says reused=%r" % doc.get("reused"))
    with open(out) as f:
        if json.load(f) != doc:
            fail("--out wrote another document than --json printed")


def check_cache(binary, tmp):
    cache = os.path.join(tmp, "cache")
    cached = os.path.join(cache, "concbench", "calibration.json")
    first = calibrate_json(binary, cache)
    check_document(first)
    if first["reused"] or not os.path.exists(cached):
        fail("the first call reused=%r, cache file %s" % (first["reused"], cached))

    second = calibrate_json(binary, cache)
    if second["reused"] is not True or figures(second) != figures(first):
        fail("the second call measured again (reused=%r)" % second["reused"])
    table = calibrate(binary, cache)
    for name in NAMES:
        if name not in table:
            fail("the table has no %s:\n%s" % (name, table))
    if "GB/s" not in table or "reused the calibration measured at" not in table:
        fail("the table does not say it was reused, or has no bandwidth:\n" + table)

    forced = calibrate_json(binary, cache, "--force")
    check_document(forced)
    if forced["reused"] or figures(forced) == figures(first):
        fail("--force did not measure again")
    with open(cached) as f:
        if json.load(f)["items"] != forced["items"]:
            fail("--force did not refresh the cache")


def check_cache_invalid(binary, tmp):
    # An unwritable cache: measured, exit 0, nothing cached.
    nowhere = calibrate_json(binary, "/proc/concbench-no-cache")
    if nowhere["reused"]:
        fail("reused a cache that cannot exist")
    check_document(nowhere)

    # That calibration, cached by hand, holds; from another boot it does not.
    cache = os.path.join(tmp, "cache")
    cached = os.path.join(cache, "concbench", "calibration.json")
    os.makedirs(os.path.dirname(cached))
    doc = figures(nowhere)
    with open(cached, "w") as f:
        json.dump(doc, f)
    if calibrate_json(binary, cache)["reused"] is not True:
        fail("a calibration cached by hand with this key was not reused")
    doc["key"]["boot_id"] = "another-boot"
    with open(cached, "w") as f:
        json.dump(doc, f)
    again = calibrate_json(binary, cache)
    if again["reused"] or again["key"]["boot_id"] == "another-boot":
        fail("a cache from another boot was reused")

    # A broken cache file is no cache.
    with open(cached, "w") as f:
        f.write('{"schema": 1, "key": ')
    broken = calibrate_json(binary, cache)
    if broken["reused"]:
        fail("a broken cache file was reused")
    check_document(broken)


def main():
    binary, check = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        {"items": check_items, "cache": check_cache,
         "cache_invalid": check_cache_invalid}[check](binary, tmp)
    print("ok")


main()
