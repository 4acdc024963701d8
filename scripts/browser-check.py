#!/usr/bin/env python3
"""Check report.html in headless Chromium at desktop and phone widths.

Audits the committed sample and a generated 5,000-connection export, opens
each report.html in Chromium (driven through ChromeDriver's WebDriver
protocol on localhost, Python's standard library only) at 1280 and 420 px,
and checks:

- no horizontal overflow at 420 px (document width equals viewport width);
- page height under 20,000 px at 1280 px for 5,000 connections;
- every chart has a title and axis labels.

Screenshots of the first screen go to SHOTS (default: a temporary folder).

usage: scripts/browser-check.py TIEAUDIT_BINARY [SHOTS]
needs: chromium and chromedriver (Debian: chromium, chromium-driver)
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

MAX_HEIGHT = 20_000
WIDTHS = (1280, 420)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    """The few WebDriver calls this check needs."""

    def __init__(self, chromium, chromedriver, profile):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [chromedriver, f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "goog:chromeOptions": {
                        "binary": chromium,
                        "args": [
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--hide-scrollbars",
                            f"--user-data-dir={profile}",
                        ],
                    }
                }
            }
        }
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())["value"]

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def open(self, path, width):
        self.s("POST", "/window/rect", {"width": width, "height": 900})
        self.s("POST", "/url", {"url": "file://" + os.path.abspath(path)})

    def js(self, script):
        return self.s("POST", "/execute/sync", {"script": script, "args": []})

    def screenshot(self, to):
        with open(to, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))

    def quit(self):
        try:
            self.s("DELETE", "")
        finally:
            self.proc.terminate()


MEASURE = """
const d = document.documentElement;
const charts = [...document.querySelectorAll('svg')].map(s => ({
  label: s.getAttribute('aria-label') || '',
  title: !!s.querySelector('title'),
  axes: s.querySelectorAll('text.axis').length,
}));
return {
  viewport: window.innerWidth,
  width: d.scrollWidth,
  height: d.scrollHeight,
  charts: charts,
};
"""


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="tieaudit-browser-")
    shots = sys.argv[2] if len(sys.argv) > 2 else os.path.join(work, "shots")
    os.makedirs(shots, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        sys.exit("browser-check: chromium and chromedriver are needed (Debian: chromium chromium-driver)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    big = os.path.join(work, "export-5000")
    subprocess.run(
        [binary, "sample", "--out", big, "--connections", "5000", "--seed", "5"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    pages = {}
    for name, export in (("sample", os.path.join(root, "sample-data", "export")), ("5000", big)):
        out = os.path.join(work, f"out-{name}")
        subprocess.run(
            [binary, "audit", export, "--out", out, "--quiet"], check=True
        )
        pages[name] = os.path.join(out, "report.html")

    problems = []
    driver = Driver(chromium, chromedriver, os.path.join(work, "profile"))
    try:
        for name, page in pages.items():
            for width in WIDTHS:
                driver.open(page, width)
                m = driver.js(MEASURE)
                shot = os.path.join(shots, f"{name}-{width}.png")
                driver.screenshot(shot)
                print(
                    f"{name} at {width} px: viewport {m['viewport']}, document "
                    f"{m['width']} x {m['height']} px, {len(m['charts'])} charts; {shot}"
                )
                if m["width"] > m["viewport"]:
                    problems.append(
                        f"{name} at {width} px: the document is {m['width']} px wide, "
                        f"the viewport {m['viewport']} px"
                    )
                if name == "5000" and width == 1280 and m["height"] >= MAX_HEIGHT:
                    problems.append(
                        f"{name} at {width} px: the page is {m['height']} px tall "
                        f"(limit {MAX_HEIGHT})"
                    )
                for c in m["charts"]:
                    if not c["title"] or c["axes"] < 1:
                        problems.append(
                            f"{name} at {width} px: chart {c['label']!r} lacks a title or axis labels"
                        )
    finally:
        driver.quit()
    for p in problems:
        print("FAIL:", p)
    if problems:
        sys.exit(1)
    print("browser check passed")
    if len(sys.argv) <= 2:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
