"""trafilatura's side of benches/extraction/throughput.py (runs inside the bench venv).

    python py_throughput.py JOBS < LIST

Extracts every file named on stdin (one path a line) with a multiprocessing pool of JOBS
worker processes, the same call as py_runner.py (trafilatura.bare_extraction(data,
with_metadata=True, include_comments=False)), and prints one JSON line: pages, errors, chars,
seconds (the pool's wall time, interpreter start and imports excluded; the caller also times
the whole process).
"""

import json
import multiprocessing
import sys
import time

import trafilatura


def work(path: str) -> int:
    try:
        with open(path, "rb") as f:
            data = f.read()
        doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
        if doc is None:
            return 0
        text = doc.get("text") if isinstance(doc, dict) else getattr(doc, "text", None)
        return len(text or "")
    except Exception:  # a page that fails is counted, not fatal
        return -1


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    paths = [line.strip() for line in sys.stdin if line.strip()]
    t0 = time.perf_counter()
    with multiprocessing.Pool(jobs) as pool:
        res = pool.map(work, paths, chunksize=4)
    secs = time.perf_counter() - t0
    print(json.dumps({"pages": len(paths), "errors": sum(r < 0 for r in res),
                      "chars": sum(r for r in res if r > 0), "seconds": round(secs, 4)}))


if __name__ == "__main__":
    main()
