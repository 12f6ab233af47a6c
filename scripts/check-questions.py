#!/usr/bin/env python3
"""Checks the interview question bank in src/catalogue/questions-*.toml.

Run from the repository root: python3 scripts/check-questions.py
Exits non-zero with one line per problem.
"""
import glob
import re
import sys
import tomllib

KINDS = {"behavioural", "technical", "situational", "career-change"}


def role_titles():
    titles = {}
    for path in glob.glob("src/catalogue/roles-*.toml"):
        with open(path, "rb") as f:
            for role in tomllib.load(f)["roles"]:
                titles[role["slug"]] = role["title"]
    return titles


def normalise(text, title):
    text = text.lower().replace(title.lower(), "")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def main():
    titles = role_titles()
    problems = []
    seen_roles = {}
    texts = {}
    for path in sorted(glob.glob("src/catalogue/questions-*.toml")):
        with open(path, "rb") as f:
            try:
                data = tomllib.load(f)
            except tomllib.TOMLDecodeError as e:
                problems.append(f"{path}: {e}")
                continue
        for role in data.get("roles", []):
            slug = role.get("role")
            where = f"{path}: {slug}"
            if slug not in titles:
                problems.append(f"{where}: no such role")
                continue
            if slug in seen_roles:
                problems.append(f"{where}: also in {seen_roles[slug]}")
            seen_roles[slug] = path
            terms = role.get("terms", [])
            if not 10 <= len(terms) <= 24:
                problems.append(f"{where}: {len(terms)} terms (want 10-24)")
            for t in terms:
                if t != t.lower() or not t.strip():
                    problems.append(f"{where}: term {t!r} must be lowercase")
            questions = role.get("questions", [])
            if len(questions) < 8:
                problems.append(f"{where}: {len(questions)} questions (want >= 8)")
            kinds = [q.get("kind") for q in questions]
            for k in KINDS:
                want = 1 if k == "career-change" else 2
                if kinds.count(k) < want:
                    problems.append(f"{where}: {kinds.count(k)} {k} questions (want >= {want})")
            for q in questions:
                qwhere = f"{where}: {q.get('text', '')[:50]!r}"
                if q.get("kind") not in KINDS:
                    problems.append(f"{qwhere}: kind {q.get('kind')!r}")
                text = q.get("text", "")
                if not 20 <= len(text) <= 300:
                    problems.append(f"{qwhere}: text length {len(text)}")
                texts.setdefault(normalise(text, titles[slug]), set()).add(slug)
                points = q.get("points", [])
                if not 4 <= len(points) <= 6:
                    problems.append(f"{qwhere}: {len(points)} points (want 4-6)")
                for p in points:
                    if not p.get("point"):
                        problems.append(f"{qwhere}: a point without text")
                    signals = p.get("signals", [])
                    if not 3 <= len(signals) <= 10:
                        problems.append(f"{qwhere}: point {p.get('point')!r} has {len(signals)} signals (want 3-10)")
                    for s in signals:
                        if s != s.lower() or not re.fullmatch(r"[a-z0-9' +/._-]+", s):
                            problems.append(f"{qwhere}: signal {s!r} must be lowercase words")
    for text, slugs in texts.items():
        if len(slugs) > 3:
            problems.append(f"question {text[:60]!r} appears under {len(slugs)} roles: {sorted(slugs)}")
    missing = sorted(set(titles) - set(seen_roles))
    for slug in missing:
        problems.append(f"{slug}: no questions")
    for p in problems:
        print(p)
    print(f"{len(seen_roles)} roles, {sum(1 for _ in texts)} distinct questions, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
