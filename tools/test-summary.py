#!/usr/bin/env python3
"""Print one closing line for a meson test run: 'tests: N passed, N failed, N skipped'.

meson's own summary is a table; CI and people want one line.  Reads the
testlog.json meson writes and lists each failed and skipped test with the
reason a skipped test gave on stderr.
"""
import json
import sys

path = sys.argv[1]
passed = failed = skipped = 0
notes = []
with open(path) as f:
    for line in f:
        try:
            t = json.loads(line)
        except ValueError:
            continue
        res = t.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            skipped += 1
            why = ""
            for l in (t.get("stderr") or "").splitlines():
                if l.startswith("SKIP"):
                    why = l
            notes.append("  skipped %s %s" % (t["name"], why))
        else:
            failed += 1
            notes.append("  FAILED  %s (%s)" % (t["name"], res))
for n in notes:
    print(n)
print("tests: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed else 0)
