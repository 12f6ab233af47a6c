#!/usr/bin/env python3
"""Fails if any crate in the dependency graph (all features, all targets) cannot be used in
an MIT OR Apache-2.0 project: a licence expression must offer at least one permissive
choice, and nothing GPL-only is allowed."""
import json
import re
import subprocess
import sys

PERMISSIVE = {
    "MIT", "MIT-0", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "BSD-2-Clause", "BSD-3-Clause",
    "ISC", "Zlib", "Unicode-3.0", "Unicode-DFS-2016", "CC0-1.0", "Unlicense", "BSL-1.0",
    "0BSD", "MPL-2.0", "CDLA-Permissive-2.0", "OpenSSL",
}


def acceptable(expr: str) -> bool:
    expr = expr.replace("/", " OR ")
    for alternative in re.split(r"\s+OR\s+", expr):
        parts = [p.strip(" ()") for p in re.split(r"\s+AND\s+", alternative.strip(" ()"))]
        if all(p in PERMISSIVE for p in parts):
            return True
    return False


def main() -> int:
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--all-features", "--locked"]))
    used = {node["id"] for node in meta["resolve"]["nodes"]}
    bad = []
    for pkg in meta["packages"]:
        if pkg["id"] not in used or pkg["source"] is None:
            continue
        lic = pkg.get("license") or ""
        if not lic or not acceptable(lic):
            bad.append(f'{pkg["name"]} {pkg["version"]}: {lic or "no licence stated"}')
    if bad:
        print("dependencies with licences incompatible with MIT OR Apache-2.0:")
        print("\n".join(sorted(bad)))
        return 1
    print(f"licences: {len(used)} crates checked, all compatible with MIT OR Apache-2.0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
