"""Run a command and report its wall time and peak resident memory as one JSON line:
``python -m bench.measure -- renda db_worker --batch``. The peak comes from
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of this wrapper, whose only child is the
command, so nothing else is counted."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    cmd = argv[argv.index("--") + 1:] if "--" in argv else argv
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - t
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write(out.stderr[-4000:])
    print(json.dumps({"exit": out.returncode, "seconds": round(seconds, 2), "peak_rss_mb": round(peak_kb / 1024, 1),
                      "stdout_tail": out.stdout[-2000:]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
