#!/usr/bin/env python3
"""Scale benchmark: a generated catalogue of 1,000 roles (999,000 guides) against the
shipped one. Generates the catalogue into a temporary folder (nothing is written to the
repository), builds `cargo build --release`, loads it into a scratch SQLite database with
`careerswitch load-catalogue --dir`, and measures on each catalogue:

  start-up   spawn to the first 200 from /readyz, median of several starts on a database
             that already holds the catalogue
  guides     req/s, p50, p99 and server CPU per request at 32 connections over random
             ordered pairs (wrk with a Lua script that picks two different roles from the
             slug list this script writes), after a short warm-up; then the same with a
             1 MB page cache, so that every guide is rendered on both catalogues (with the
             default 16 MB cache the shipped catalogue serves about a third of its 2,070
             guides from the cache, a million-guide one almost none)
  sitemap    the index and every child: at most 50,000 URLs each, exactly the expected
             static + role + guide URLs with none twice, and the parts after the last and
             before the first are 404
  memory     the server's peak RSS (VmHWM) after the default run and the sitemap crawl

Usage: scripts/bench-scale.py [--roles 1000] [--seconds 20] [--warmup 5] [--connections 32]
                              [--starts 5] [--skip-build] [--skip-rendered] [--keep]
Needs Python 3.11+, wrk and cargo. About 2-3 minutes once the release build is done.
Exits 1 if a verdict fails.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATIC_PAGES = ["/", "/roles", "/privacy", "/terms"]
MAX_URLS_PER_SITEMAP = 50_000

# ---------------------------------------------------------------- catalogue generator

SECTORS = [
    ("technology", "Technology", ["Network", "Software", "Data", "Cloud", "Security", "Systems"]),
    ("education", "Education", ["Classroom", "Curriculum", "Learning", "Pupil", "Exam", "Tutoring"]),
    ("finance", "Finance and accounting", ["Ledger", "Audit", "Treasury", "Payroll", "Tax", "Credit"]),
    ("healthcare", "Health and social care", ["Clinical", "Patient", "Ward", "Care", "Pharmacy", "Therapy"]),
    ("retail", "Retail and hospitality", ["Store", "Menu", "Guest", "Stock", "Checkout", "Venue"]),
    ("marketing", "Marketing, media and design", ["Brand", "Campaign", "Content", "Social", "Print", "Audience"]),
    ("engineering", "Engineering and construction", ["Site", "Structural", "Mechanical", "Electrical", "Survey", "Drainage"]),
    ("logistics", "Transport and logistics", ["Fleet", "Warehouse", "Freight", "Route", "Depot", "Customs"]),
    ("public-services", "Public services", ["Licensing", "Housing", "Planning", "Benefits", "Council", "Records"]),
    ("energy", "Energy and utilities", ["Grid", "Metering", "Turbine", "Solar", "Pipeline", "Water"]),
    ("agriculture", "Farming and environment", ["Crop", "Livestock", "Soil", "Forestry", "Habitat", "Orchard"]),
    ("creative", "Arts and culture", ["Gallery", "Stage", "Archive", "Studio", "Festival", "Heritage"]),
]
ACTIVITIES = ["scheduling", "reporting", "inspection", "forecasting", "budgeting", "compliance",
              "quality checks", "documentation", "tooling", "analysis", "procurement", "testing"]
PROFESSIONAL = ["Stakeholder communication", "Written reports", "Presentation skills", "Negotiation",
                "Time management", "Team leadership", "Coaching others", "Customer care",
                "Problem solving", "Project planning", "Risk assessment", "Data literacy",
                "Spreadsheet modelling", "Conflict resolution", "Change management",
                "Safeguarding awareness", "Health and safety", "Contract management",
                "Public speaking", "Mentoring", "Process improvement", "Report writing",
                "Supplier management", "Budget control", "Minute taking", "Research methods",
                "Handling complaints", "Decision making", "Prioritising work", "Remote collaboration"]
JOBS = ["Coordinator", "Analyst", "Manager", "Officer", "Technician", "Adviser", "Specialist",
        "Supervisor", "Planner", "Consultant", "Assistant", "Engineer", "Inspector",
        "Administrator", "Lead", "Designer", "Trainer", "Auditor", "Controller", "Developer"]
LEVELS = ["", "Senior ", "Junior ", "Principal ", "Trainee ", "Regional ", "Assistant "]
QUALIFICATION_KINDS = ["unpaid-study", "paid-training", "apprenticeship"]


def slugify(name):
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    assert "-to-" not in slug and slug, name
    return slug


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def toml_list(items):
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def generate(folder, n_roles, seed=12):
    """Writes sectors.toml, skills.toml, roles-*.toml and one questions file into `folder`;
    returns the role slugs. Roles draw most skills from their own sector's pool and a few
    from the shared professional pool or a neighbouring sector, so pairs range from no
    overlap to near twins."""
    rng = random.Random(seed)
    out = ["# Generated by scripts/bench-scale.py: not real content.\n"]
    for slug, name, _ in SECTORS:
        out.append(f"[[sectors]]\nslug = {toml_str(slug)}\nname = {toml_str(name)}\n")
    write(folder, "sectors.toml", out)

    pools = {}  # sector -> skill slugs; "shared" -> professional skills
    out = ["# Generated by scripts/bench-scale.py: not real content.\n"]

    def skill(name, category, family=None):
        slug = slugify(name)
        out.append(
            f"[[skills]]\nslug = {toml_str(slug)}\nname = {toml_str(name)}\n"
            f"category = {toml_str(category)}\nlearn_weeks = {rng.randint(2, 40)}\n"
            f"evidence = {toml_str(f'A short portfolio piece that shows {name.lower()} on a real task.')}\n"
            + (f"family = {toml_str(family)}\n" if family else "")
        )
        return slug

    for sector, _, prefixes in SECTORS:
        pools[sector] = []
        for prefix in prefixes:
            for i, activity in enumerate(ACTIVITIES[: rng.randint(4, 6)]):
                family = f"{sector}-{prefix.lower()}" if i % 2 == 0 else None
                category = "technical" if i % 3 else "domain"
                pools[sector].append(skill(f"{prefix} {activity}", category, family))
    pools["shared"] = [skill(name, "professional") for name in PROFESSIONAL]
    write(folder, "skills.toml", out)

    titles = set()
    roles = []
    sector_names = [s[0] for s in SECTORS]
    while len(roles) < n_roles:
        sector_i = len(roles) % len(SECTORS)
        sector, _, prefixes = SECTORS[sector_i]
        title = f"{rng.choice(LEVELS)}{rng.choice(prefixes)} {rng.choice(ACTIVITIES).split()[0].title()} {rng.choice(JOBS)}"
        if title in titles:
            continue
        titles.add(title)
        roles.append((slugify(title), title, sector, sector_names[(sector_i + 1) % len(SECTORS)]))

    files = {}
    for i, (slug, title, sector, neighbour) in enumerate(roles):
        k = rng.randint(6, 12)
        n_shared = rng.randint(1, 3)
        n_neighbour = rng.choice([0, 0, 1, 2])
        n_own = k - n_shared - n_neighbour
        skills = (rng.sample(pools[sector], n_own) + rng.sample(pools[neighbour], n_neighbour)
                  + rng.sample(pools["shared"], n_shared))
        n_core = rng.randint(1, min(4, k))
        e0 = rng.randrange(18_000, 42_000, 500)
        e1 = e0 + rng.randrange(3_000, 12_000, 500)
        m0 = e0 + rng.randrange(2_000, 15_000, 500)
        m1 = max(e1, m0) + rng.randrange(4_000, 20_000, 500)
        s0 = m0 + rng.randrange(4_000, 25_000, 500)
        s1 = max(m1, s0) + rng.randrange(5_000, 40_000, 500)
        a_t = f"a {title.lower()}" if title[0] not in "AEIOU" else f"an {title.lower()}"
        summary = (f"As {a_t} you keep one part of an organisation running, working with "
                   f"colleagues across {sector.replace('-', ' ')} and reporting to a team lead.")
        text = [
            "[[roles]]",
            f"slug = {toml_str(slug)}",
            f"title = {toml_str(title)}",
            f"sector = {toml_str(sector)}",
            f"summary = {toml_str(summary)}",
            f"appeal = {toml_str('The work is varied and you see the results of it within weeks.')}",
            f"challenges = {toml_str('Busy periods bunch up, and some tasks need care on dull days.')}",
            f"interviewers_look_for = {toml_list(rng.sample(['clear thinking under pressure', 'care with detail', 'plain written English', 'examples from real work', 'steady judgement'], rng.randint(2, 4)))}",
            f"routes_in = {toml_list(rng.sample(['Many people move across from a related job in the same team.', 'Some start as a trainee after a short course.', 'A small project you can show helps more than a certificate alone.'], rng.randint(1, 3)))}",
            f"salary_reviewed = \"2026-{rng.randint(1, 10):02d}-01\"",
            f"salary = {{ entry = [{e0}, {e1}], mid = [{m0}, {m1}], senior = [{s0}, {s1}] }}",
            f"pay_basis = {toml_str('Generated figures for a scale test, not real salaries.')}",
            "",
        ]
        if rng.random() < 0.08:
            text += [
                "[roles.qualification]",
                f"name = {toml_str(f'a licence to practise as {a_t}')}",
                f"route = {toml_str('Most people qualify on an approved course or a paid training post.')}",
                'applies_in = "in England"',
                f"elsewhere = {toml_str('Scotland, Wales and Northern Ireland run their own routes.')}",
                "",
            ]
            for r in range(rng.randint(1, 2)):
                kind = rng.choice(QUALIFICATION_KINDS)
                months = rng.randint(6, 36)
                unpaid = months if kind == "unpaid-study" else 0
                low = rng.randint(1, 6)
                route_name = f"route {r + 1}: an approved {kind.replace('-', ' ')} programme"
                text += [
                    "[[roles.qualification.routes]]",
                    f"name = {toml_str(route_name)}",
                    f"kind = {toml_str(kind)}",
                    f"months = {months}",
                    f"unpaid_months = {unpaid}",
                    f"apply_months = [{low}, {low + rng.randint(0, 8)}]",
                    f"entry_requirements = {toml_str('You need GCSE English and maths.')}",
                    f"cost = {toml_str('nothing in fees' if kind != 'unpaid-study' else '£9,790 a year in tuition fees')}",
                    f"funding = {toml_str('a salary while you train' if kind != 'unpaid-study' else 'a student loan')}",
                    f"degree_required = {'true' if rng.random() < 0.3 else 'false'}",
                    "",
                ]
        for j, s in enumerate(skills):
            core = j < n_core
            timing = "before-applying" if (core and rng.random() < 0.8) or rng.random() < 0.2 else "on-the-job"
            usage = f"use {s.replace('-', ' ')} every week in the job"
            text += [
                "[[roles.skills]]",
                f"skill = {toml_str(s)}",
                f"importance = {toml_str('core' if core else 'supporting')}",
                f"usage = {toml_str(usage)}",
                f"timing = {toml_str(timing)}",
                "",
            ]
        for a in range(rng.randint(2, 3)):
            text += [
                "[[roles.activities]]",
                f"title = {toml_str(['Planning the week', 'Doing the work', 'Checking and reporting'][a])}",
                f"description = {toml_str('A good part of most days goes on this, alone or with the team.')}",
                "",
            ]
        files.setdefault(f"roles-generated-{i // 100:02d}.toml", []).append("\n".join(text))
    for name, parts in files.items():
        write(folder, name, ["# Generated by scripts/bench-scale.py: not real content.\n"] + parts)

    # A question bank for a few roles only: the rest have none, as a new catalogue may.
    out = []
    for slug, title, _, _ in roles[:: max(1, n_roles // 20)]:
        out.append(f"[[roles]]\nrole = {toml_str(slug)}\nterms = [\"plan\", \"report\", \"deadline\"]\n")
        out.append(f"[[roles.questions]]\nkind = \"behavioural\"\n"
                   f"text = {toml_str(f'Tell me about a week as {title} when the plan fell apart.')}\n")
        for point in ["Sets out what went wrong", "Says what they changed", "Gives the result"]:
            out.append(f"[[roles.questions.points]]\npoint = {toml_str(point)}\n"
                       f"signals = [\"changed\", \"result\", \"week\"]\n")
    write(folder, "questions-generated.toml", out)
    return [r[0] for r in roles]


def write(folder, name, parts):
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


def shipped_slugs():
    folder = os.path.join(ROOT, "src", "catalogue")
    slugs = []
    for name in sorted(os.listdir(folder)):
        if name.startswith("roles-") and name.endswith(".toml"):
            with open(os.path.join(folder, name), "rb") as f:
                slugs += [r["slug"] for r in tomllib.load(f)["roles"]]
    return slugs

# ---------------------------------------------------------------- running the server


def target_dir():
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                          cwd=ROOT, capture_output=True, check=True, text=True)
    return json.loads(meta.stdout)["target_directory"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir, port):
    env = dict(os.environ)
    env.update({
        "CAREERSWITCH_DATA_DIR": data_dir,
        "CAREERSWITCH_BIND": f"127.0.0.1:{port}",
        "CAREERSWITCH_MAIL_WORKER": "off",
        "RUST_LOG": "warn",
    })
    return env


def get(url, timeout=60):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Server:
    """The release binary on `data_dir`; `started` is spawn to the first /readyz 200."""

    def __init__(self, binary, data_dir, extra_env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = env_for(data_dir, self.port)
        env.update(extra_env or {})
        self.log = open(os.path.join(os.path.dirname(os.path.abspath(data_dir)),
                                     f"server-{self.port}.log"), "w+b")
        begin = time.perf_counter()
        self.proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        while True:
            if self.proc.poll() is not None:
                self.log.seek(0)
                sys.exit(f"server exited: {self.log.read().decode()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        break
            except OSError:
                pass
            if time.perf_counter() - begin > 120:
                self.proc.kill()
                self.proc.wait()
                sys.exit("server did not become ready in 120 s")
            time.sleep(0.005)
        self.started = time.perf_counter() - begin

    def peak_rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f)
        return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024

    def cpu_seconds(self):
        """User and system time the server has used so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def startup_median(binary, data_dir, runs):
    times = []
    for _ in range(runs):
        server = Server(binary, data_dir)
        times.append(server.started)
        server.stop()
    return statistics.median(times), times

# ---------------------------------------------------------------- measurements

LUA = """
-- Each request is a random ordered pair of different roles from the list.
local slugs = {}
for line in io.lines("%(slugs)s") do slugs[#slugs + 1] = line end
math.randomseed(os.time() + math.floor(os.clock() * 1000000) + tonumber(tostring({}):match("0x(%%x+)"), 16) %% 100000)
request = function()
  local n = #slugs
  local from = math.random(n)
  local to = math.random(n - 1)
  if to >= from then to = to + 1 end
  return wrk.format("GET", "/careers/" .. slugs[from] .. "-to-" .. slugs[to])
end
"""


def parse_duration_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(base, lua, connections, seconds, threads=2):
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-s", lua, base], capture_output=True, text=True, check=True).stdout
    p99 = parse_duration_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    p50 = parse_duration_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"p50": p50, "p99": p99, "rps": rps, "requests": total,
            "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else ""}


def guide_bench(server, slugs, work, name, connections, seconds, warmup):
    slug_file = os.path.join(work, f"{name}-slugs.txt")
    with open(slug_file, "w") as f:
        f.write("\n".join(slugs) + "\n")
    lua = os.path.join(work, f"{name}-pairs.lua")
    with open(lua, "w") as f:
        f.write(LUA % {"slugs": slug_file})
    if warmup:
        wrk(server.base, lua, connections, warmup)
    before = server.cpu_seconds()
    result = wrk(server.base, lua, connections, seconds)
    # CPU per request is steadier than latency on a busy machine.
    result["cpu_us"] = (server.cpu_seconds() - before) * 1e6 / max(result["requests"], 1)
    result["hit_share"] = cache_hit_share(server, slugs)
    return result


def cache_hit_share(server, slugs, samples=400):
    """The share of random guides the page cache answers, as the run left it."""
    rng = random.Random(7)
    hits = 0
    for _ in range(samples):
        a, b = rng.sample(slugs, 2)
        with urllib.request.urlopen(f"{server.base}/careers/{a}-to-{b}") as resp:
            resp.read()
            hits += resp.headers.get("X-Cache") == "HIT"
    return hits / samples


def check_sitemap(server, slugs):
    """Follows the index and every child; returns (ok, description)."""
    begin = time.perf_counter()
    status, body = get(server.base + "/sitemap.xml")
    if status != 200:
        return False, f"/sitemap.xml is {status}", {}
    text = body.decode()
    problems = []
    if "<sitemapindex" in text:
        children = re.findall(r"<loc>(.*?)</loc>", text)
    else:
        children = [server.base + "/sitemap.xml"]
    known = set(slugs)
    statics = {server.base + p for p in STATIC_PAGES}
    role_prefix = server.base + "/roles/"
    guide_prefix = server.base + "/careers/"
    seen = set()
    counts = {"static": 0, "role": 0, "guide": 0}
    largest = 0
    for child in children:
        status, body = get(child) if child != server.base + "/sitemap.xml" else (200, body)
        if status != 200:
            problems.append(f"{child} is {status}")
            continue
        urls = re.findall(r"<loc>(.*?)</loc>", body.decode())
        largest = max(largest, len(urls))
        if len(urls) > MAX_URLS_PER_SITEMAP:
            problems.append(f"{child} holds {len(urls)} URLs")
        for url in urls:
            if url in seen:
                problems.append(f"{url} listed twice")
                continue
            seen.add(url)
            if url in statics:
                counts["static"] += 1
            elif url.startswith(role_prefix) and url[len(role_prefix):] in known:
                counts["role"] += 1
            elif url.startswith(guide_prefix):
                pair = url[len(guide_prefix):].split("-to-")
                if len(pair) == 2 and pair[0] != pair[1] and pair[0] in known and pair[1] in known:
                    counts["guide"] += 1
                else:
                    problems.append(f"unexpected guide {url}")
            else:
                problems.append(f"unexpected {url}")
        if len(problems) > 5:
            break
    n = len(slugs)
    expected = {"static": len(STATIC_PAGES), "role": n, "guide": n * (n - 1)}
    if counts != expected:
        problems.append(f"counted {counts}, expected {expected}")
    if len(children) > 1:
        for past in (len(children) + 1, 0):
            status, _ = get(f"{server.base}/sitemaps/{past}.xml")
            if status != 404:
                problems.append(f"/sitemaps/{past}.xml is {status}, not 404")
    took = time.perf_counter() - begin
    summary = (f"{len(children)} file{'s' if len(children) != 1 else ''}, {len(seen):,} URLs "
               f"(largest {largest:,}) in {took:.1f} s")
    return not problems, summary if not problems else summary + ": " + "; ".join(problems[:6])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5, help="seconds of wrk before each run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--starts", type=int, default=5, help="starts for the start-up median")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--skip-rendered", action="store_true",
                        help="skip the runs with a 1 MB page cache (every guide rendered)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench-scale.py needs wrk (apt-get install -y wrk)")

    work = tempfile.mkdtemp(prefix="careerswitch-scale-")
    try:
        if not args.skip_build:
            subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(target_dir(), "release", "careerswitch")

        folder = os.path.join(work, "catalogue")
        os.mkdir(folder)
        begin = time.perf_counter()
        generated = generate(folder, args.roles)
        gen_s = time.perf_counter() - begin
        gen_data = os.path.join(work, "generated")
        begin = time.perf_counter()
        loaded = subprocess.run([binary, "load-catalogue", "--dir", folder],
                                env=env_for(gen_data, 0), capture_output=True, text=True)
        load_s = time.perf_counter() - begin
        if loaded.returncode != 0:
            sys.exit(f"load-catalogue failed: {loaded.stderr}")
        again = subprocess.run([binary, "load-catalogue", "--dir", folder],
                               env=env_for(gen_data, 0), capture_output=True, text=True)
        if again.returncode == 0:
            sys.exit("load-catalogue loaded a second catalogue into the same database")
        print(f"generated {len(generated)} roles in {gen_s:.1f} s; "
              f"{loaded.stdout.strip()} in {load_s:.1f} s; a second load is refused")

        shipped = shipped_slugs()
        ship_data = os.path.join(work, "shipped")
        first = Server(binary, ship_data)  # seeds the bundled catalogue
        first_start = first.started
        first.stop()

        results = {}
        for name, data, slugs in (("shipped", ship_data, shipped), ("generated", gen_data, generated)):
            median, times = startup_median(binary, data, args.starts)
            print(f"{name}: start-up {', '.join(f'{t:.2f}' for t in times)} s")
            server = Server(binary, data)
            try:
                bench = guide_bench(server, slugs, work, name, args.connections, args.seconds,
                                    args.warmup)
                print(f"{name}: guides {bench}")
                ok, sitemap = check_sitemap(server, slugs)
                print(f"{name}: sitemap {'ok' if ok else 'BROKEN'}: {sitemap}")
                hwm, rss = server.peak_rss_mb()
            finally:
                server.stop()
            results[name] = {"roles": len(slugs), "guides": len(slugs) * (len(slugs) - 1),
                             "startup": median, "bench": bench, "sitemap_ok": ok,
                             "sitemap": sitemap, "hwm": hwm, "rss": rss}
        # Like for like: a page cache too small to matter, so every guide is rendered on
        # both catalogues (the shipped one otherwise serves a share of its guides from it).
        rendered = {}
        if not args.skip_rendered:
            for name, data, slugs in (("shipped", ship_data, shipped), ("generated", gen_data, generated)):
                server = Server(binary, data, {"CAREERSWITCH_PAGE_CACHE_MB": "1"})
                try:
                    rendered[name] = guide_bench(server, slugs, work, name, args.connections,
                                                 args.seconds, args.warmup)
                    print(f"{name}, every guide rendered: guides {rendered[name]}")
                finally:
                    server.stop()

        s, g = results["shipped"], results["generated"]
        ratio = g["bench"]["p99"] / s["bench"]["p99"]
        print()
        print(f"scale benchmark: {args.connections} connections, {args.seconds} s per run after "
              f"{args.warmup} s warm-up, random pairs, {os.cpu_count()} cores, wrk on the same machine")
        print(f"generated {len(generated):,} roles in {gen_s:.1f} s; loaded in {load_s:.1f} s; "
              f"shipped catalogue's first start (seeding) {first_start:.2f} s")
        print(f"{'run':<20}{'roles':>7}{'guides':>10}{'start-up':>10}{'req/s':>9}{'p50':>9}"
              f"{'p99':>9}{'CPU/req':>9}{'cached':>8}{'non-2xx':>9}{'peak RSS':>10}")
        rows = [(name, r, r["bench"]) for name, r in results.items()]
        rows += [(f"{name}, cache 1 MB", results[name], b) for name, b in rendered.items()]
        for label, r, b in rows:
            default_run = b is r["bench"]
            print(f"{label:<20}{r['roles']:>7,}{r['guides']:>10,}"
                  + (f"{r['startup']:>9.2f}s" if default_run else f"{'':>10}")
                  + f"{b['rps']:>9,.0f}{b['p50']:>7.1f}ms{b['p99']:>7.1f}ms{b['cpu_us']:>7.0f}us"
                  f"{b['hit_share']:>8.0%}{b['non_2xx']:>9}"
                  + (f"{r['hwm']:>8.0f}MB" if default_run else ""))
        for name, r in results.items():
            print(f"sitemap, {name}: {'ok' if r['sitemap_ok'] else 'BROKEN'}: {r['sitemap']}")
        verdicts = [
            (f"guide p99 generated/shipped {ratio:.2f} (limit 1.20; shipped serves "
             f"{s['bench']['hit_share']:.0%} of its guides from the page cache)", ratio <= 1.2),
        ]
        if rendered:
            like = rendered["generated"]["p99"] / rendered["shipped"]["p99"]
            cpu = rendered["generated"]["cpu_us"] / rendered["shipped"]["cpu_us"]
            verdicts.append((f"guide p99 generated/shipped with every guide rendered {like:.2f}, "
                             f"CPU per guide {cpu:.2f} (limit 1.20)", like <= 1.2))
        verdicts += [
            (f"start-up with {g['roles']:,} roles {g['startup']:.2f} s (limit 2 s)", g["startup"] < 2.0),
            ("sitemap index pages correctly", g["sitemap_ok"] and s["sitemap_ok"]),
            ("every guide answered 2xx", all(b["non_2xx"] == 0 for _, _, b in rows)),
        ]
        for text, ok in verdicts:
            print(f"  {'PASS' if ok else 'FAIL'}  {text}")
        return 0 if all(ok for _, ok in verdicts) else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
