#!/usr/bin/python3
"""report_html.py - report.html opened in a real browser (headless Chromium).

    report_html.py browser CONCBENCH       a small real run; its report.html
                                           at a phone's and a laptop's width
    report_html.py hostile CONCBENCH FIXTURE
                                           results whose texts carry markup:
                                           none of it may become markup
    report_html.py shot PAGE OUT.png WIDTH HEIGHT
                                           a full-page screenshot (by hand)

Chromium is driven over its DevTools pipe (--remote-debugging-pipe: fd 3 in,
fd 4 out, messages ending in NUL). Its window cannot be narrower than 500
pixels, so widths come from Emulation.setDeviceMetricsOverride, which lays
the page out at exactly the width asked, as a phone would (with the page's
viewport meta tag). Nothing is skipped: without Chromium the test fails
and says how to install it (./run-tests does).
"""
import base64
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

CHROMIUM = "/usr/bin/chromium"
PHONE = (390, 844)
LAPTOP = (1366, 900)

# Measured in the page once it has loaded: every figure's chart and
# whether its markers resolve to its own definitions, ids unique in the
# page, the page's width against the window's, the page's scripts.
MEASURE = r"""
(() => {
  const ids = new Map();
  for (const e of document.querySelectorAll('[id]'))
    ids.set(e.id, (ids.get(e.id) || 0) + 1);
  const figures = [...document.querySelectorAll('figure')].map(f => {
    const svg = f.querySelector('svg');
    if (!svg) return { svg: false };
    const r = svg.getBoundingClientRect();
    let unresolved = 0, drawn = 0;
    // Markers drawn in the chart, not the definitions inside <defs>.
    const uses = [...svg.querySelectorAll('use')].filter(u => !u.closest('defs'));
    for (const u of uses) {
      const ref = (u.getAttribute('href') || u.getAttribute('xlink:href') || '').slice(1);
      const target = document.getElementById(ref);
      if (!target || !svg.contains(target)) unresolved++;
      const b = u.getBoundingClientRect();
      if (b.width > 0 && b.height > 0) drawn++;
    }
    const box = f.getBoundingClientRect();
    return { svg: true, width: r.width, height: r.height, uses: uses.length,
             box_right: box.right, scrolls: getComputedStyle(f).overflowX !== 'visible',
             unresolved, drawn, caption: (f.querySelector('figcaption') || {}).textContent };
  });
  return {
    figures,
    duplicate_ids: [...ids].filter(([, n]) => n > 1).map(([id]) => id),
    scroll_width: document.documentElement.scrollWidth,
    inner_width: window.innerWidth,
    scripts: document.scripts.length,
    title: document.title,
    text: document.body.innerText,
  };
})()
"""


class Browser:
    """One headless Chromium, spoken to over its DevTools pipe."""

    def __init__(self):
        if not os.access(CHROMIUM, os.X_OK):
            sys.exit("chromium is not installed: apt-get install chromium "
                     "(./run-tests installs it)")
        self.profile = tempfile.mkdtemp(prefix="concbench-chromium-")
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        # Out of the way of 3 and 4, which the child gets them as.
        hi_r = fcntl.fcntl(to_r, fcntl.F_DUPFD_CLOEXEC, 5)
        hi_w = fcntl.fcntl(from_w, fcntl.F_DUPFD_CLOEXEC, 5)
        for fd in (to_r, from_w):
            os.close(fd)
        args = [CHROMIUM, "--headless=new", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=" + self.profile, "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--hide-scrollbars", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses root otherwise
        self.log = open(os.path.join(self.profile, "stderr"), "w+")
        # stderr first: the log may have been given fd 3 or 4.
        self.pid = os.posix_spawn(CHROMIUM, args, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, self.log.fileno(), 2),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, hi_r, 3), (os.POSIX_SPAWN_DUP2, hi_w, 4)])
        os.close(hi_r)
        os.close(hi_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]

    def close(self):
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.to_w)
        os.close(self.from_r)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_r, 1 << 16)
            if not chunk:
                self.log.seek(0)
                sys.exit("chromium exited:\n" + self.log.read()[-2000:])
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    sys.exit(f"chromium: {method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method, **params):
        return self.call(method, session=self.session, **params)

    def wait_event(self, name):
        while True:
            for k, e in enumerate(self.events):
                if e.get("method") == name:
                    return self.events.pop(k)
            self.events.append(self._read_message())

    def load(self, path, width, height):
        """Opens path at width x height (a phone's when narrow)."""
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=width < 600)
        self.page("Page.enable")
        self.page("Network.enable")
        self.events.clear()
        self.page("Page.navigate", url="file://" + os.path.abspath(path))
        self.wait_event("Page.loadEventFired")

    def requests(self):
        """The URLs the page asked for since it was opened."""
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def evaluate(self, expression):
        r = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            sys.exit(f"in the page: {r['exceptionDetails']}")
        return r["result"]["value"]

    def screenshot(self, out, width):
        height = self.evaluate("document.documentElement.scrollHeight")
        shot = self.page("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})
        with open(out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))


def image_lines(md):
    return len(re.findall(r"^!\[[^\n]*\]\(plots/[^\n]*\.png\)$", md, re.M))


def check_page(browser, page, md, width, height, problems):
    """The checks at one width; each problem appended to problems."""
    where = f"at {width}x{height}"
    browser.load(page, width, height)
    m = browser.evaluate(MEASURE)
    page_url = "file://" + os.path.abspath(page)
    others = [u for u in browser.requests() if u != page_url]
    if others:
        problems.append(f"{where}: the page fetched {others[:3]}")
    if m["scripts"]:
        problems.append(f"{where}: the page holds {m['scripts']} script elements")
    if len(m["figures"]) != image_lines(md):
        problems.append(f"{where}: {len(m['figures'])} figures for {image_lines(md)} "
                        "image lines in report.md")
    for k, f in enumerate(m["figures"], 1):
        name = f"figure {k} ({f.get('caption')})"
        if not f["svg"]:
            problems.append(f"{where}: {name} has no chart")
        elif not (f["width"] > 0 and f["height"] > 0):
            problems.append(f"{where}: {name} is drawn {f['width']}x{f['height']}")
        elif f["unresolved"]:
            problems.append(f"{where}: {name}: {f['unresolved']} of {f['uses']} markers "
                            "point to no definition of its own")
        elif f["uses"] and not f["drawn"]:
            problems.append(f"{where}: {name}: none of its {f['uses']} markers is drawn")
        elif f["box_right"] > width:
            problems.append(f"{where}: {name}'s box ends at {f['box_right']}, past {width}")
        elif f["width"] > width and not f["scrolls"]:
            # Wider than the screen only inside a box of its own that scrolls
            # (a phone keeps a chart's text readable that way).
            problems.append(f"{where}: {name} is {f['width']} wide and its box does not "
                            "scroll")
    if m["duplicate_ids"]:
        problems.append(f"{where}: ids used twice: {m['duplicate_ids'][:5]}")
    # A phone widens its layout to content too wide for it (innerWidth
    # grows): either number past the width asked is a page that overflows.
    wide = max(m["scroll_width"], m["inner_width"])
    if wide > width:
        problems.append(f"{where}: the page is laid out {wide} pixels wide: "
                        "it scrolls sideways")
    return m


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def test_browser(bin_path):
    """A small real run's report.html at a phone's and a laptop's width."""
    tmp = tempfile.mkdtemp(prefix="concbench-html-")
    problems = []
    try:
        out = os.path.join(tmp, "run")
        r = run([bin_path, "run", "--workload", "io.sleep", "--strategy",
                 "serial,threads,eventloop", "--workers", "1,4", "--tasks", "8",
                 "--param", "latency_ms=1", "--repeat", "3", "--max-repeat", "3",
                 "--warmup", "0", "--out", out])
        if r.returncode != 0:
            sys.exit(f"the run failed ({r.returncode}):\n{r.stdout}")
        said = f"report: {out}/report.md, {out}/report.html"
        if said not in r.stdout:
            problems.append(f"the run did not say '{said}':\n{r.stdout}")
        page = os.path.join(out, "report.html")
        with open(os.path.join(out, "report.md")) as f:
            md = f.read()
        if image_lines(md) < 4:
            problems.append(f"report.md has {image_lines(md)} charts: the test tests little")
        with open(page) as f:
            html = f.read()
        if re.search(r"<script|\bsrc\s*=|@import|https?://(?!www\.w3\.org/)", html, re.I):
            problems.append("report.html names a script or something to fetch")
        browser = Browser()
        try:
            phone = check_page(browser, page, md, *PHONE, problems)
            check_page(browser, page, md, *LAPTOP, problems)
        finally:
            browser.close()
        # The page says what report.md says: its headings, in order.
        headings = [re.sub(r"\\(.)", r"\1", h) for h in re.findall(r"^#+ (.*)$", md, re.M)]
        at = 0
        for h in headings:
            at = phone["text"].find(h, at)
            if at < 0:
                problems.append(f"the page lacks the heading '{h}'")
                break
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return problems


HOSTILE = "<script>alert(1)</script>\"q'&amp;"


def test_hostile(bin_path, fixture):
    """Markup in labels, errors and env.json reaches report.html as text."""
    tmp = tempfile.mkdtemp(prefix="concbench-html-")
    problems = []
    try:
        run_dir = os.path.join(tmp, "run")
        os.mkdir(run_dir)
        with open(os.path.join(fixture, "env.json")) as f:
            env = json.load(f)
        env["run_id"] = "r" + HOSTILE
        env["machine"]["cpu_model"] = HOSTILE
        env["machine"]["kernel"] = "</title>" + HOSTILE
        with open(os.path.join(run_dir, "env.json"), "w") as f:
            json.dump(env, f)
        lines = []
        with open(os.path.join(fixture, "results.jsonl")) as f:
            for n, line in enumerate(f):
                rec = json.loads(line)
                if rec["strategy"] == "processes":
                    rec["strategy"] = "p" + HOSTILE
                if n == 1:
                    rec["status"] = "failed"
                    rec["error"] = "e" + HOSTILE + " <img src=x onerror=alert(2)>"
                lines.append(json.dumps(rec))
        with open(os.path.join(run_dir, "results.jsonl"), "w") as f:
            f.write("\n".join(lines) + "\n")
        r = run([bin_path, "report", run_dir])
        page = os.path.join(run_dir, "report.html")
        if not os.path.exists(page):
            sys.exit(f"no report.html ({r.returncode}):\n{r.stdout}")
        with open(page) as f:
            html = f.read()
        if re.search(r"<script", html, re.I):
            problems.append("report.html holds a <script>")
        if re.search(r"<img", html, re.I):
            problems.append("report.html holds an <img>")
        escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;q&#39;&amp;amp;"
        if html.count(escaped) < 4:
            problems.append(f"the hostile text appears escaped {html.count(escaped)} times, "
                            "expected in the title, the machine line, labels and an error")
        if "&lt;/title&gt;" not in html:
            problems.append("the kernel's </title> is not shown as text")
        browser = Browser()
        try:
            browser.load(page, *LAPTOP)
            m = browser.evaluate(MEASURE)
        finally:
            browser.close()
        if m["scripts"]:
            problems.append(f"the browser found {m['scripts']} script elements")
        if HOSTILE not in m["text"]:
            problems.append("the hostile text is not shown as itself")
        if not m["title"].startswith("concbench report: r<script>"):
            problems.append(f"the page's title is '{m['title']}'")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return problems


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "browser":
        problems = test_browser(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "hostile":
        problems = test_hostile(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 6 and sys.argv[1] == "shot":
        browser = Browser()
        try:
            browser.load(sys.argv[2], int(sys.argv[4]), int(sys.argv[5]))
            browser.screenshot(sys.argv[3], int(sys.argv[4]))
        finally:
            browser.close()
        return 0
    else:
        sys.exit(__doc__)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
