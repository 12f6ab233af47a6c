#!/usr/bin/env python3
"""Resident memory while a crawler walks every public page, and after.

Starts the release build on a fresh data folder with its default settings, then:
  1. crawls every page reachable from / by following links (16 at a time), twice;
  2. registers and signs in 8 accounts at once (argon2 needs 19 MiB per hash);
  3. crawls everything again.
It samples the server's VmRSS every 20 ms throughout and prints the peak of each phase,
the resident size after each phase, and VmHWM (the kernel's own peak).

Usage: scripts/bench-memory.py   (builds with `cargo build --release` first)
"""
import html, http.cookiejar, os, re, shutil, subprocess, sys, tempfile, threading, time
import urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

from benchlib import PASSWORD, ROOT, target_dir

PORT = 18089
BASE = f"http://127.0.0.1:{PORT}"


def binary():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(target_dir(), "release", "careerswitch")


class Sampler:
    def __init__(self, pid):
        self.pid, self.peak, self.stopped = pid, 0, False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def status(self, key):
        with open(f"/proc/{self.pid}/status") as f:
            return next(int(l.split()[1]) // 1024 for l in f if l.startswith(key + ":"))

    def run(self):
        while not self.stopped:
            self.peak = max(self.peak, self.status("VmRSS"))
            time.sleep(0.02)

    def phase(self):
        """The peak since the last call, and the size now."""
        peak, self.peak = self.peak, 0
        return max(peak, self.status("VmRSS")), self.status("VmRSS")


def links(body):
    for href in re.findall(r'(?:href="|<loc>)([^"<\s]+)', body):
        href = html.unescape(href).split("#")[0]
        if href.startswith(BASE):
            href = href[len(BASE):]
        if href.startswith("/") and not href.startswith("//") and "sign-out" not in href:
            yield href


def crawl():
    seen, frontier, statuses = {"/"}, ["/"], {}

    def get(path):
        try:
            with urllib.request.urlopen(BASE + path) as resp:
                kind = resp.headers.get("content-type", "")
                body = resp.read().decode(errors="replace")
                status = resp.status
        except urllib.error.HTTPError as e:
            kind, body, status = "", "", e.code
        return status, (list(links(body)) if ("html" in kind or "xml" in kind) else [])

    with ThreadPoolExecutor(16) as pool:
        while frontier:
            results = list(pool.map(get, frontier))
            frontier = []
            for status, found in results:
                statuses[status] = statuses.get(status, 0) + 1
                for link in found:
                    if link not in seen:
                        seen.add(link)
                        frontier.append(link)
    return len(seen), statuses


def sign_in(n):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    email = f"reader{n}@example.com"
    for path, fields in (("/register", {"email": email, "password": PASSWORD,
                                        "time_zone": "Europe/London"}),
                         ("/sign-in", {"email": email, "password": PASSWORD})):
        page = opener.open(BASE + path).read().decode()
        token = html.unescape(re.search(r'name="csrf_token" value="([^"]*)"', page).group(1))
        data = urllib.parse.urlencode(dict(fields, csrf_token=token)).encode()
        opener.open(BASE + path, data).read()


def main():
    exe = binary()
    work = tempfile.mkdtemp()
    env = dict(os.environ, CAREERSWITCH_BIND=f"127.0.0.1:{PORT}",
               CAREERSWITCH_DATA_DIR=work + "/data", RUST_LOG="warn")
    server = subprocess.Popen([exe], env=env)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(BASE + "/readyz").read()
                break
            except OSError:
                time.sleep(0.05)
        else:
            sys.exit("the server did not become ready")
        sampler = Sampler(server.pid)
        _, started = sampler.phase()
        print(f"{'phase':<34} {'peak MiB':>9} {'after MiB':>10}")
        print(f"{'started':<34} {'':>9} {started:>10}")
        for label, work_fn in (
            ("crawl every public page, twice", lambda: (crawl(), crawl())[0]),
            ("8 registrations and sign-ins", lambda: list(ThreadPoolExecutor(8).map(sign_in, range(8)))),
            ("crawl again", crawl),
        ):
            t0 = time.perf_counter()
            result = work_fn()
            seconds = time.perf_counter() - t0
            peak, after = sampler.phase()
            detail = f"  ({result[0]} pages, {result[1]}, {seconds:.1f} s)" if isinstance(result, tuple) else ""
            print(f"{label:<34} {peak:>9} {after:>10}{detail}")
        print(f"VmHWM (kernel peak over the run): {sampler.status('VmHWM')} MiB")
        sampler.stopped = True
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
