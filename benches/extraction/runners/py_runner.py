"""Python peers' runner for benches/extraction/compare.py (runs inside the bench venv).

    python py_runner.py trafilatura|htmldate MANIFEST OUT

Reads the manifest (JSON lines {"id","path","url"}) and writes one JSON line per page, flushed
as soon as the page is done (so the orchestrator can tell which page hung or crashed):

- trafilatura: trafilatura.bare_extraction(data, url=url, with_metadata=True,
  include_comments=False), every other option at its default; 2.x returns a Document (or
  None when nothing was extracted): .title, .author, .date, .text are reported.
- htmldate: htmldate.find_date(data, url=url, original_date=True), every other option at its
  default (extensive_search=True, outputformat='%Y-%m-%d', min_date/max_date defaults).

Both get the page's raw bytes and decode them themselves. "seconds" is the time of that one
call (decoding + parsing + extraction), file reading excluded.
"""

import json
import sys
import time


def main() -> None:
    tool, manifest, out_path = sys.argv[1:4]
    if tool == "trafilatura":
        import trafilatura

        def run(data: bytes, url: str | None) -> dict:
            doc = trafilatura.bare_extraction(
                data, url=url, with_metadata=True, include_comments=False
            )
            if doc is None:
                return {"headline": None, "byline": None, "published": None, "text": ""}
            if isinstance(doc, dict):  # as_dict=True or a 1.x API: same fields
                get = doc.get
            else:
                get = lambda k: getattr(doc, k, None)  # noqa: E731
            return {
                "headline": get("title"),
                "byline": get("author"),
                "published": get("date"),
                "text": get("text") or "",
            }

    elif tool == "htmldate":
        import htmldate

        def run(data: bytes, url: str | None) -> dict:
            return {"published": htmldate.find_date(data, url=url, original_date=True)}

    else:
        sys.exit(f"unknown tool {tool!r}")

    with open(manifest, encoding="utf-8") as m, open(out_path, "w", encoding="utf-8") as out:
        for line in m:
            if not line.strip():
                continue
            page = json.loads(line)
            with open(page["path"], "rb") as f:
                data = f.read()
            t0 = time.perf_counter()
            try:
                rec = run(data, page.get("url"))
                rec = {"id": page["id"], "seconds": time.perf_counter() - t0, **rec}
            except Exception as e:  # a crash on one page is that page's error, not the run's
                rec = {
                    "id": page["id"],
                    "seconds": time.perf_counter() - t0,
                    "error": f"{type(e).__name__}: {e}"[:500],
                }
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()


if __name__ == "__main__":
    main()
