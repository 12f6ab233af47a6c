#!/usr/bin/env python3
"""What an admin edit costs and what it drops: starts the release build on a fresh data
folder, caches every public page (the sitemap's guides and role pages), publishes one edit
through the admin form, then fetches every page again and counts X-Cache HIT and MISS.

Usage: scripts/bench-publish.py   (builds with `cargo build --release` first)
"""
import html, http.cookiejar, json, os, re, subprocess, sys, tempfile, time, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = 18085
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "violet harbour lantern"


def target_dir():
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                          cwd=ROOT, capture_output=True, check=True, text=True)
    return json.loads(meta.stdout)["target_directory"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def fetch(opener, path, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(BASE + path, body) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def token(page):
    return html.unescape(re.search(r'name="csrf_token" value="([^"]*)"', page).group(1))


def form_fields(page, action):
    """What a browser would submit from the form posting to `action`."""
    start = page.index(f'action="{action}"')
    form = page[start:page.index("</form>", start)]
    fields = []
    for tag in re.finditer(r"<(input|textarea|select)\b([^>]*)>", form):
        kind, attrs = tag.group(1), tag.group(2)
        name = re.search(r'\bname="([^"]*)"', attrs)
        if not name:
            continue
        if kind == "input":
            t = re.search(r'\btype="([^"]*)"', attrs)
            t = t.group(1) if t else "text"
            if t == "submit" or (t == "checkbox" and " checked" not in attrs):
                continue
            value = re.search(r'\bvalue="([^"]*)"', attrs)
            fields.append((name.group(1), html.unescape(value.group(1) if value else "")))
        elif kind == "textarea":
            end = form.index("</textarea>", tag.end())
            fields.append((name.group(1), html.unescape(form[tag.end():end])))
        else:
            end = form.index("</select>", tag.end())
            options = re.findall(r"<option([^>]*)>", form[tag.end():end])
            chosen = next((o for o in options if " selected" in o), options[0] if options else "")
            value = re.search(r'value="([^"]*)"', chosen)
            fields.append((name.group(1), html.unescape(value.group(1) if value else "")))
    return fields


def crawl(paths):
    counts = {"HIT": 0, "MISS": 0}
    def one(path):
        with urllib.request.urlopen(BASE + path) as resp:
            resp.read()
            return resp.headers.get("X-Cache", "")
    with ThreadPoolExecutor(8) as pool:
        for state in pool.map(one, paths):
            counts[state] = counts.get(state, 0) + 1
    return counts


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(target_dir(), "release", "careerswitch")
    work = tempfile.mkdtemp()
    env = dict(os.environ, CAREERSWITCH_BIND=f"127.0.0.1:{PORT}", CAREERSWITCH_DATA_DIR=work + "/data",
               RUST_LOG="info", CAREERSWITCH_RATE_LIMITS="sign-in=1000/min,register=1000/min")
    log = open(work + "/server.log", "w")
    server = subprocess.Popen([binary], env=env, stdout=log, stderr=log)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz").read()
                break
            except OSError:
                time.sleep(0.1)
        admin = browser()
        _, _, page = fetch(admin, "/register")
        fetch(admin, "/register", {"csrf_token": token(page), "email": "admin@example.com",
                                   "password": PASSWORD, "time_zone": "Europe/London"})
        subprocess.run([binary, "create-admin", "--email", "admin@example.com"], env=env,
                       check=True, capture_output=True)
        _, _, page = fetch(admin, "/sign-in")
        fetch(admin, "/sign-in", {"csrf_token": token(page), "email": "admin@example.com", "password": PASSWORD})

        _, _, sitemap = fetch(browser(), "/sitemap.xml")
        paths = [urllib.parse.urlparse(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
        paths = [p for p in paths if p.startswith("/careers/") or p.startswith("/roles/")]
        t0 = time.perf_counter()
        first = crawl(paths)
        crawl_s = time.perf_counter() - t0
        second = crawl(paths)

        edits = [
            ("a salary band of Data Analyst", "/admin/roles/data-analyst", {"mid_min": "36000"}),
            ("the title of Data Analyst", "/admin/roles/data-analyst", {"title": "Data and Insight Analyst"}),
            ("the learning time of SQL", "/admin/skills/sql", {"learn_weeks": "9"}),
        ]
        print(f"{len(paths)} pages cached (first crawl {first}, {crawl_s:.1f}s; second {second})")
        for label, action, changes in edits:
            _, _, page = fetch(admin, action)
            fields = dict_fields = form_fields(page, action)
            fields = [(k, changes.get(k, v)) for k, v in dict_fields]
            t0 = time.perf_counter()
            status, _, body = fetch(admin, action, fields)
            publish_ms = (time.perf_counter() - t0) * 1000
            if status != 303:
                sys.exit(f"{label}: the edit was refused ({status})")
            after = crawl(paths)
            again = crawl(paths)
            print(f"edit {label}: published in {publish_ms:.0f} ms; next crawl {after['MISS']} MISS / "
                  f"{after['HIT']} HIT; then {again.get('MISS', 0)} MISS")
        with open(f"/proc/{server.pid}/status") as status:
            hwm = next(l for l in status if l.startswith("VmHWM")).split()[1]
        print(f"peak RSS {int(hwm) // 1024} MiB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
