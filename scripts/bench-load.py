#!/usr/bin/env python3
"""Mixed load: the release build on a fresh data folder, a set of signed-in users (some
with saved moves, a skills profile, a plan and practice answers, so their dashboards have
content), then wrk at many connections over a mix of guide pages (random pairs), role
pages, /dashboard and the practice pages. Signed-in requests carry one of the users'
session cookies, taken in turn, so every user's session is in play on every connection.

Every response is counted by status in wrk's Lua script: anything but 200 is a failure
(a 303 would mean a cookie stopped working), as is any socket error. Reports requests/s,
p50/p90/p99 and the server's peak RSS (VmHWM).

Needs wrk (apt-get install -y wrk). Exits 1 if there was any failure.

Usage: scripts/bench-load.py [--seconds 60] [--connections 64] [--users 16]
                             [--only guide|role|dashboard|practice] [--no-build | --binary PATH]
It waits while rustc runs (other builds skew the numbers); --busy measures anyway.
Other CAREERSWITCH_* variables in the environment reach the app (e.g. PAGE_CACHE_MB).
"""
import argparse, collections, email, email.policy, glob, html, json, os, random, re, shutil
import subprocess, sys, tempfile, time

from benchlib import (PASSWORD, ROOT, Client, expect, peak_rss_mib, sitemap_paths, start_app,
                      parse_wrk, target_dir, token, wait_for_quiet)

SESSION_COOKIE = "careerswitch_session"

# Percentages of requests (the rest are guide pages) and how many guide/role reads are
# by a signed-in visitor.
MIX = {"role": 20, "dashboard": 15, "practice": 15}
SIGNED_IN_READERS = 25


def verification_link(outbox, address, wait=15.0):
    """The /verify-email/… path from the newest email to `address` in the outbox."""
    deadline = time.time() + wait
    while time.time() < deadline:
        for name in sorted(glob.glob(os.path.join(outbox, "*.eml")), reverse=True):
            with open(name, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            if address not in str(msg.get("To", "")):
                continue
            for part in msg.walk():
                if part.get_content_type() == "text/plain":
                    found = re.search(r"(/verify-email/[A-Za-z0-9_-]+)", part.get_content())
                    if found:
                        return found.group(1)
        time.sleep(0.2)
    return None


def pair_of(guide):
    return guide.removeprefix("/careers/").split("-to-", 1)


def make_user(port, outbox, n, guides, rng):
    """Registers, confirms and signs in user `n`; gives most users saved moves, some a
    skills profile, a plan and practice answers. Returns the session cookie."""
    address = f"load{n}@example.com"
    did = set()
    c = Client(port)
    _, _, page = expect("register form", c.get("/register"), 200)
    expect("register", c.post("/register", {"csrf_token": token(page), "email": address,
                                            "password": PASSWORD,
                                            "time_zone": "Europe/London"}), 200, 303)
    link = verification_link(outbox, address)
    if link:
        _, _, page = expect("confirm form", c.get(link), 200)
        expect("confirm", c.post(link, {"csrf_token": token(page)}), 200, 303)
        did.add("confirmed")
    else:
        print(f"  (no confirmation email for {address}; it stays unconfirmed)", file=sys.stderr)
    _, _, page = expect("sign-in form", c.get("/sign-in"), 200)
    expect("sign in", c.post("/sign-in", {"csrf_token": token(page), "email": address,
                                          "password": PASSWORD, "next": "/dashboard"}), 303)
    _, _, page = expect("dashboard", c.get("/dashboard"), 200)
    csrf = token(page)
    if n % 4 != 3:  # three users in four save moves
        for guide in rng.sample(guides, 1 + n % 3):
            src, dst = pair_of(guide)
            expect("save a move", c.post("/saved", {"csrf_token": csrf, "from": src, "to": dst,
                                                    "note": f"Saved by load user {n}"}), 303)
        did.add("saved moves")
    if n % 2 == 0:  # half have a skills profile
        src = pair_of(rng.choice(guides))[0]
        expect("skills", c.post("/account/skills/role", {"csrf_token": csrf, "current_role": src,
                                                         "start_from_role": "on"}), 303)
        did.add("a skills profile")
    _, _, page = expect("dashboard", c.get("/dashboard"), 200)
    if n % 4 == 0:  # a quarter build a plan for their first saved move
        saved = re.search(r'href="/plans/new\?saved=(\d+)"', page)
        if saved:
            _, _, form = expect("plan form", c.get(f"/plans/new?saved={saved.group(1)}"), 200)
            months = re.search(r'<option value="(\d+)"', form).group(1)
            start = re.search(r'name="start_date" type="date" value="([^"]*)"', form).group(1)
            expect("build a plan", c.post("/plans", {"csrf_token": token(form),
                                                     "saved": saved.group(1), "start_date": start,
                                                     "months": months, "hours_per_week": "8"}), 303)
            did.add("a plan")
    _, _, page = expect("practice", c.get("/practice"), 200)
    practice = sorted(set(re.findall(r'href="(/practice/[a-z0-9-]+)"', page)) - {"/practice/history"})
    # Every user opens one role's questions; a quarter answer one of them.
    questions = []
    if practice:
        role = rng.choice(practice)
        _, _, page = expect("practice role", c.get(role), 200)
        questions = [html.unescape(q) for q in re.findall(r'href="(/practice/[a-z0-9-]+\?q=\d+)', page)]
    if n % 4 == 1 and questions:
        question = questions[0]
        _, _, form = expect("practice question", c.get(question), 200)
        expect("practice answer", c.post(question.split("?")[0], {
            "csrf_token": token(form), "question": question.split("=")[1],
            "answer": "I would start from the problem, explain the trade-offs I weighed, "
                      "measure the result and say what I learned from it."}), 200, 303)
        did.add("a practice answer")
    practice = practice + questions[:2]
    if c.get("/dashboard")[0] != 200:
        raise RuntimeError(f"{address} is not signed in after setup")
    return c.cookies[SESSION_COOKIE], practice, did


def lua_list(items):
    return "{" + ",".join(json.dumps(i) for i in items) + "}"


LUA = r"""
local guides = %(guides)s
local roles = %(roles)s
local practice = %(practice)s
local cookies = %(cookies)s
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Globals, so done() can read them from each thread with thread:get.
counts = {}
first_failure = ""
local turn = 0

function init(args)
  math.randomseed(os.time() * 1000 + id)
  turn = id * 7
end

local function cookie()
  turn = turn + 1
  return { Cookie = "%(cookie_name)s=" .. cookies[(turn %% #cookies) + 1] }
end

function request()
  local r = math.random(100)
  if r <= %(role_cut)d then
    local path = roles[math.random(#roles)]
    if math.random(100) <= %(readers)d then return wrk.format("GET", path, cookie()) end
    return wrk.format("GET", path)
  elseif r <= %(dashboard_cut)d then
    return wrk.format("GET", "/dashboard", cookie())
  elseif r <= %(practice_cut)d then
    return wrk.format("GET", practice[math.random(#practice)], cookie())
  end
  local path = guides[math.random(#guides)]
  if math.random(100) <= %(readers)d then return wrk.format("GET", path, cookie()) end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status ~= 200 and first_failure == "" then
    first_failure = status .. " " .. (string.match(body, "<title>([^<]*)</title>") or string.sub(body, 1, 120))
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do total[status] = (total[status] or 0) + n end
    local f = t:get("first_failure")
    if f ~= "" then io.write("FIRST_FAILURE ", f, "\n") end
  end
  io.write("STATUS")
  for status, n in pairs(total) do io.write(" ", status, "=", n) end
  io.write("\n")
end
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--users", type=int, default=16)
    ap.add_argument("--timeout", default="5s", help="wrk's per-request timeout")
    ap.add_argument("--only", choices=["guide", "role", "dashboard", "practice"],
                    help="request only this kind of page instead of the mix")
    ap.add_argument("--port", type=int, default=18086)
    ap.add_argument("--no-build", action="store_true", help="use the existing release build")
    ap.add_argument("--binary", help="run this build of the app instead (implies --no-build)")
    ap.add_argument("--busy", action="store_true",
                    help="measure even while rustc runs (numbers are then only indicative)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder (server log)")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("needs wrk (apt-get install -y wrk)")
    if not (args.no_build or args.binary):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = args.binary or os.path.join(target_dir(), "release", "careerswitch")
    work = tempfile.mkdtemp(prefix="bench-load-")
    # Setup registers and signs in every user from one address.
    server = start_app(binary, args.port, work, {
        "CAREERSWITCH_RATE_LIMITS": "sign-in=1000/min,register=1000/min,resend=1000/hour"})
    failed = True
    try:
        guides, roles = sitemap_paths(args.port)
        if not guides or not roles:
            raise RuntimeError("the sitemap lists no guides or roles")
        rng = random.Random(12)
        outbox = os.path.join(work, "data", "outbox")
        t0 = time.perf_counter()
        cookies, practice, made = [], {"/practice", "/practice/history"}, collections.Counter()
        for n in range(args.users):
            cookie, pages, did = make_user(args.port, outbox, n, guides, rng)
            cookies.append(cookie)
            practice.update(pages)
            made.update(did)
        practice = sorted(practice)
        print(f"{args.users} users set up in {time.perf_counter() - t0:.1f}s; "
              f"{len(guides)} guides, {len(roles)} roles, {len(practice)} practice pages")
        print("  users with " + ", ".join(f"{what}: {n}" for what, n in sorted(made.items())))
        mix = dict(MIX)
        if args.only:  # every request of one kind, to see what each costs
            mix = {kind: (100 if kind == args.only else 0) for kind in MIX}
        cut = 0
        cuts = {}
        for kind in ("role", "dashboard", "practice"):
            cut += mix[kind]
            cuts[kind + "_cut"] = cut
        script = os.path.join(work, "mix.lua")
        with open(script, "w") as f:
            f.write(LUA % dict(guides=lua_list(guides), roles=lua_list(roles),
                               practice=lua_list(practice), cookies=lua_list(cookies),
                               cookie_name=SESSION_COOKIE, readers=SIGNED_IN_READERS, **cuts))
        base = f"http://127.0.0.1:{args.port}"
        wrk = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--timeout", args.timeout,
               "-s", script]
        wait_for_quiet(not args.busy)
        subprocess.run(wrk + ["-d3s", base], check=True, capture_output=True)  # warm-up
        rss_before = peak_rss_mib(server.pid)
        wait_for_quiet(not args.busy)
        load = subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True).stdout.split()[:3]
        out = subprocess.run(wrk + [f"-d{args.seconds}s", "--latency", base], check=True,
                             capture_output=True, text=True).stdout
        r = parse_wrk(out)
        rss = peak_rss_mib(server.pid)
        failures = r["failures"]
        socket = sum(r["socket_errors"].values())
        print(f"\nmixed load: {args.connections} connections, {args.seconds}s, {os.cpu_count()} cores, "
              f"wrk on the same machine (load average before: {' '.join(load)})")
        print(f"  mix: {100 - sum(mix.values())}% guides (random pairs), {mix['role']}% roles, "
              f"{mix['dashboard']}% /dashboard, {mix['practice']}% practice; "
              f"{SIGNED_IN_READERS}% of guide/role reads signed in; {args.users} users")
        print(f"  requests/s   {r['rps']:.0f}  ({r['requests']} requests)")
        print(f"  latency      p50 {r['p50']:.1f} ms   p90 {r['p90']:.1f} ms   p99 {r['p99']:.1f} ms")
        print(f"  statuses     {' '.join(f'{s}={n}' for s, n in sorted(r['statuses'].items()))}")
        print(f"  failures     {failures} non-200, {socket} socket errors {r['socket_errors']}")
        for f in r["first_failures"]:
            print(f"  first failure: {f}")
        print(f"  peak RSS     {rss:.0f} MiB (after setup and warm-up: {rss_before:.0f} MiB)")
        failed = failures > 0 or socket > 0 or r["non_2xx_3xx"] > 0
        if failed:
            with open(os.path.join(work, "server.log")) as log:
                tail = log.readlines()[-20:]
            print("FAILED; the server log ends:\n" + "".join(tail), file=sys.stderr)
    finally:
        server.terminate()
        server.wait()
        if args.keep:
            print("scratch folder kept:", work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
