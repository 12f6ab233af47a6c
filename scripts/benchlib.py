"""What the bench scripts share: finding the binary, a small HTTP client with cookies,
starting the app on a scratch folder, reading the sitemap, and a few measurements."""
import html, http.client, json, math, os, re, subprocess, sys, time, urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "violet harbour lantern"


def target_dir():
    """Where cargo puts builds (honours CARGO_TARGET_DIR and config)."""
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                          cwd=ROOT, capture_output=True, check=True, text=True)
    return json.loads(meta.stdout)["target_directory"]


class Client:
    """One browser: a keep-alive connection, a cookie jar, no redirects followed."""

    def __init__(self, port, headers=None, timeout=60):
        self.port = port
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.cookies = {}
        self.conn = None

    def request(self, method, path, form=None):
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body, headers)
                resp = self.conn.getresponse()
                data = resp.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: open a new one.
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
            except Exception:
                # A time-out or anything else leaves the connection unusable.
                self.conn.close()
                self.conn = None
                raise
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            pair, _, attrs = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if not value or re.search(r"max-age=0\b", attrs, re.I):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return resp.status, resp.headers, data

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)


def token(page):
    found = re.search(r'name="csrf_token" value="([^"]*)"', page)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return html.unescape(found.group(1))


def expect(what, result, *statuses):
    status, _, body = result
    if status not in statuses:
        title = re.search(r"<title>([^<]*)</title>", body)
        raise RuntimeError(f"{what}: status {status} ({title.group(1) if title else body[:200]!r})")
    return result


def start_app(binary, port, work, extra_env=None):
    """The app on `port` with a data folder in `work`, once it answers /healthz. A server
    that does not come up is killed; one that exits at once (the port was taken, so the
    answer came from someone else) is an error too."""
    env = dict(os.environ, CAREERSWITCH_BIND=f"127.0.0.1:{port}",
               CAREERSWITCH_DATA_DIR=os.path.join(work, "data"), RUST_LOG="warn",
               **(extra_env or {}))
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary], env=env, stdout=log, stderr=log)
    probe = Client(port)
    for _ in range(200):
        try:
            if probe.get("/healthz")[0] == 200 and server.poll() is None:
                return server
        except OSError:
            probe.conn = None
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    server.wait()
    raise RuntimeError("the app did not start; see " + log.name)


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def sitemap_paths(port):
    """Every guide and role page the sitemap lists (following a sitemap index)."""
    client = Client(port)
    pending, paths = ["/sitemap.xml"], []
    while pending:
        _, _, xml = expect("sitemap", client.get(pending.pop()), 200)
        for loc in re.findall(r"<loc>([^<]+)</loc>", xml):
            path = urllib.parse.urlparse(html.unescape(loc)).path
            (pending if path.endswith(".xml") else paths).append(path)
    guides = sorted(p for p in paths if p.startswith("/careers/") and "-to-" in p)
    roles = sorted(p for p in paths if re.fullmatch(r"/roles/[a-z0-9-]+", p))
    return guides, roles


def percentile(values, pct):
    """The nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * pct / 100) - 1)]


def wait_for_quiet(enabled=True):
    """Waits while a compiler runs: other builds skew the numbers."""
    while enabled and subprocess.run(["pgrep", "-x", "rustc"], capture_output=True).returncode == 0:
        print("  (rustc is running; waiting for a quiet machine)", file=sys.stderr)
        time.sleep(10)


def parse_wrk(out):
    """wrk's summary, plus the STATUS and FIRST_FAILURE lines our Lua scripts print."""
    def ms(text):
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1))}
    for pct in ("50", "90", "99"):
        result["p" + pct] = ms(re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"),
                                       map(int, errors.groups()))) if errors else {}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx_3xx"] = int(non2xx.group(1)) if non2xx else 0
    statuses = re.search(r"^STATUS(.*)$", out, re.M)
    result["statuses"] = dict((int(k), int(v)) for k, v in
                              (s.split("=") for s in statuses.group(1).split())) if statuses else {}
    result["first_failures"] = re.findall(r"^FIRST_FAILURE (.*)$", out, re.M)
    # Without the Lua script's STATUS line nothing was counted: that is a failure too.
    result["failures"] = (sum(n for s, n in result["statuses"].items() if s != 200)
                          if statuses else max(result["requests"], 1))
    return result
