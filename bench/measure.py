#!/usr/bin/env python3
"""Measurement helpers for bench/run.sh (Python 3 standard library only).

  measure.py run RESULTS LOG KEY=VALUE... -- CMD [ARG...]
      Run CMD under /usr/bin/time -v, its stdout to /dev/null and its stderr
      to LOG. Append one JSON record to RESULTS: the KEY=VALUE tags, "wall"
      (seconds, perf_counter around the run), "rss_kb" (the "Maximum resident
      set size" of /usr/bin/time -v), "rc", and "timing": every
      "timing: NAME X s" figure CMD printed on stderr (ARDOISE_TIMING=1).
      Prints a one-line summary; exits with CMD's status.
  measure.py count RESULTS DIR KEY=VALUE...
      Files and bytes under DIR (DIR/.ardoise/, ardoise's cache, excluded),
      in total and by kind; appended to RESULTS.
  measure.py snap DIR FILE
      Save (inode, mtime, size) of every file under DIR into FILE.
  measure.py changed RESULTS FILE DIR KEY=VALUE...
      Compare DIR with the snapshot FILE: files rewritten (new inode or
      mtime), unchanged, added, removed; appended to RESULTS.
"""
import json, os, re, subprocess, sys, tempfile, time

TIMING = re.compile(r"([A-Za-z_][\w-]*) ([0-9]+(?:\.[0-9]+)?) s\b")
MEDIA = {"jpg", "jpeg", "png", "gif", "webp", "mp3", "mp4", "ogg", "webm", "pdf"}


def tags(args):
    out = {}
    for a in args:
        k, sep, v = a.partition("=")
        if not sep:
            sys.exit(f"measure.py: expected KEY=VALUE, got {a!r}")
        out[k] = int(v) if v.isdigit() else v
    return out


def append(results, rec):
    with open(results, "a") as f:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def cmd_run(argv):
    if "--" not in argv:
        sys.exit("measure.py run: missing -- before the command")
    i = argv.index("--")
    results, log, rec, cmd = argv[0], argv[1], tags(argv[2:i]), argv[i + 1:]
    fd, tfile = tempfile.mkstemp(prefix="time-", dir=os.path.dirname(os.path.abspath(log)))
    os.close(fd)
    try:
        with open(log, "wb") as err, open(os.devnull, "wb") as null:
            t0 = time.perf_counter()
            rc = subprocess.call(["/usr/bin/time", "-v", "-o", tfile] + cmd,
                                 stdin=subprocess.DEVNULL, stdout=null, stderr=err)
            wall = time.perf_counter() - t0
        with open(tfile, errors="replace") as f:
            tv = f.read()
    finally:
        os.unlink(tfile)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv)
    timing = {}
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("timing:"):
                for name, val in TIMING.findall(line):
                    timing[name] = float(val)
    rec.update(wall=round(wall, 4), rss_kb=int(m.group(1)) if m else None, rc=rc, timing=timing)
    append(results, rec)
    extra = f", history {timing['history']:.3f} s" if "history" in timing else ""
    rss = f"{rec['rss_kb'] / 1024:.0f} MB" if rec["rss_kb"] else "? MB"
    print(f"    {wall:8.3f} s  {rss:>8} peak{extra}" + ("" if rc == 0 else f"  EXIT STATUS {rc} (see {log})"),
          flush=True)
    return rc


def kind(rel):
    name = rel.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    top = rel.split("/", 1)[0] if "/" in rel else ""
    if ext in MEDIA or top == "media":
        return "media"
    if ext == "xml":
        return "xml"
    if ext == "html":
        if top == "posts":
            return "html_posts"
        if top == "tags":
            return "html_tags"
        if rel == "index.html" or top == "page":
            return "html_index"
        return "html_other"
    return "other"


def walk(root):
    for d, dirs, files in os.walk(root):
        if d == root:
            dirs[:] = [x for x in dirs if x != ".ardoise"]
        for f in files:
            p = os.path.join(d, f)
            yield os.path.relpath(p, root), os.lstat(p)


def cmd_count(argv):
    results, root, rec = argv[0], argv[1], tags(argv[2:])
    files = size = 0
    kinds = {}
    for rel, st in walk(root):
        files += 1
        size += st.st_size
        k = kinds.setdefault(kind(rel), [0, 0])
        k[0] += 1
        k[1] += st.st_size
    rec.update(files=files, bytes=size, kinds=kinds)
    append(results, rec)
    print(f"    {files} files, {size / 1e6:.1f} MB", flush=True)


def cmd_snap(argv):
    root, out = argv
    snap = {rel: [st.st_ino, st.st_mtime_ns, st.st_size] for rel, st in walk(root)}
    with open(out, "w") as f:
        json.dump(snap, f)


def cmd_changed(argv):
    results, snapfile, root, rec = argv[0], argv[1], argv[2], tags(argv[3:])
    with open(snapfile) as f:
        old = json.load(f)
    new = {rel: [st.st_ino, st.st_mtime_ns, st.st_size] for rel, st in walk(root)}
    same = sum(1 for r, v in new.items() if old.get(r) == v)
    added = sum(1 for r in new if r not in old)
    removed = sum(1 for r in old if r not in new)
    rec.update(rewritten=len(new) - same - added, unchanged=same, added=added, removed=removed,
               files=len(new))
    append(results, rec)
    print(f"    files rewritten {rec['rewritten']}, unchanged {same}, added {added}, removed {removed}",
          flush=True)


def main():
    cmds = {"run": cmd_run, "count": cmd_count, "snap": cmd_snap, "changed": cmd_changed}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    sys.exit(cmds[sys.argv[1]](sys.argv[2:]) or 0)


if __name__ == "__main__":
    main()
