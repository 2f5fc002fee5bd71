#!/usr/bin/env python3
"""Turn bench/run.sh's measurements into the report (Python 3 standard library only).

  report.py RESULTS REPORT KEY=VALUE...

RESULTS is the JSON-lines file written by measure.py; the KEY=VALUE pairs
describe the run (posts, runs, growth, commit, versions...). The report goes
to stdout and to the file REPORT. Wall times are medians over the runs; peak
RSS is the largest over the runs. Targets are reported, never enforced.
"""
import json, statistics, sys

GROWTH_TOLERANCE = 1.25   # "linear": time per post grows by at most 25 % per size step
PARITY = 0.20             # page sets within 20 % in file count


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def pick(recs, **kw):
    return [r for r in recs if all(r.get(k) == v for k, v in kw.items())]


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec=".3f", unit=""):
    return "n/a" if x is None else format(x, spec) + unit


def ratio(a, b):
    return a / b if a is not None and b else None


def busy(meta):
    try:
        return max(float(x) for x in meta["load"].replace("->", " ").split()) > float(meta["cpus"])
    except (KeyError, ValueError):
        return False


def main():
    results, report_path, meta = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
    recs = load(results)
    posts = int(meta["posts"])
    out = []
    p = out.append

    p(f"ardoise bench — {meta.get('date', '')}")
    p(f"  {meta.get('version') or 'ardoise'} ({meta.get('binary', '')}; repo at {meta.get('commit', '?')}), {meta.get('hugo', 'hugo ?')}, {meta.get('cmark', 'cmark-gfm ?')}")
    p(f"  machine: {meta.get('cpus', '?')} CPUs, {meta.get('mem', '?')}, {meta.get('kernel', '?')}, "
      f"bench dir on {meta.get('fs', '?')}")
    p(f"  load average (1, 5, 15 min) at start -> end: {meta.get('load', '?')}"
      + ("   (busy machine: timings are noisy)" if busy(meta) else ""))
    p(f"  corpus: {posts} posts, {meta.get('commits', '?')} commits ({meta.get('corpus', '')})")
    p(f"  {meta.get('runs')} timed runs per tool, alternated (ardoise, hugo, floor) in one process, each to a")
    p("  new output directory, after one untimed warm-up each; wall = median, peak RSS = max over runs;")
    p(f"  cached rebuilds and checks: {meta.get('cached_runs', meta.get('runs'))} runs of each kind, wall = median")
    p("")

    # --- full build ---------------------------------------------------------------------------
    main_runs = {t: pick(recs, phase="main", tool=t, type="run") for t in ("ardoise", "hugo")}
    counts = {t: pick(recs, phase="main", tool=t, type="count") for t in ("ardoise", "hugo")}
    stat = {}
    for t in ("ardoise", "hugo"):
        runs = main_runs[t]
        c = counts[t][0] if counts[t] else {}
        stat[t] = dict(wall=med(r["wall"] for r in runs), walls=[r["wall"] for r in runs],
                       rss=max((r["rss_kb"] for r in runs if r["rss_kb"]), default=None),
                       files=c.get("files"), bytes=c.get("bytes"), kinds=c.get("kinds", {}))
    a, h = stat["ardoise"], stat["hugo"]
    p(f"FULL BUILD, cold output directory, git metadata included ({posts} posts)")
    p(f"  {'':22} {'files':>8} {'MB written':>11} {'wall s (median)':>16}  {'runs':<26} {'peak RSS MB':>11}")
    for t, label in (("ardoise", "ardoise"), ("hugo", "hugo (enableGitInfo)")):
        s = stat[t]
        p(f"  {label:22} {fmt(s['files'], 'd'):>8} {fmt(s['bytes'] and s['bytes'] / 1e6, '.1f'):>11} "
          f"{fmt(s['wall']):>16}  {' '.join(f'{w:.2f}' for w in s['walls']):<26} "
          f"{fmt(s['rss'] and s['rss'] / 1024, '.0f'):>11}")
    speed = ratio(h["wall"], a["wall"])
    mem = ratio(a["rss"], h["rss"])
    p(f"  {'ratio':22} {fmt(ratio(a['files'], h['files']), '.2f'):>8} "
      f"{fmt(ratio(a['bytes'], h['bytes']), '.2f'):>11} {'hugo/ardoise ' + fmt(speed, '.1f') + 'x':>16}  "
      f"{'':<26} {'a/h ' + fmt(mem, '.3f'):>11}")
    stages = {}
    for r in main_runs["ardoise"]:
        for k, v in r.get("timing", {}).items():
            stages.setdefault(k, []).append(v)
    if stages:
        p("  ardoise stages (ARDOISE_TIMING, medians): " +
          ", ".join(f"{k} {med(v):.3f} s" for k, v in stages.items()))
    p("")

    # --- page set parity ----------------------------------------------------------------------
    p("PAGE SET (files written, ardoise's .ardoise/ cache excluded)")
    labels = [("html_posts", "html: post pages"), ("html_index", "html: index + pagination"),
              ("html_tags", "html: tag pages"), ("html_other", "html: other"),
              ("xml", "xml (feeds, sitemap)"), ("media", "media"), ("other", "other (css, js...)")]
    p(f"  {'kind':26} {'ardoise':>8} {'hugo':>8} {'ardoise MB':>11} {'hugo MB':>9}")
    for k, label in labels:
        ka, kh = a["kinds"].get(k, [0, 0]), h["kinds"].get(k, [0, 0])
        p(f"  {label:26} {ka[0]:>8} {kh[0]:>8} {ka[1] / 1e6:>11.1f} {kh[1] / 1e6:>9.1f}")
    parity = ratio(a["files"], h["files"])
    p(f"  {'total':26} {fmt(a['files'], 'd'):>8} {fmt(h['files'], 'd'):>8} "
      f"{fmt(a['bytes'] and a['bytes'] / 1e6, '.1f'):>11} {fmt(h['bytes'] and h['bytes'] / 1e6, '.1f'):>9}"
      f"   ardoise/hugo = {fmt(parity, '.3f')}")
    p("  (hugo's tags/*/page/N/ include its alias pages, tags/*/index.xml its per-tag feeds;")
    p("   ardoise's html: other holds its archive pages)")
    p("")

    # --- floor ---------------------------------------------------------------------------------
    floor = {}
    for t in ("cmark", "gitlog", "cp"):
        floor[t] = {r["round"]: r["wall"] for r in pick(recs, phase="floor", tool=t, type="run")}
    rounds = sorted(set(floor["cmark"]) & set(floor["gitlog"]) & set(floor["cp"]))
    sums = [floor["cmark"][i] + floor["gitlog"][i] + floor["cp"][i] for i in rounds]
    floor_med = med(sums)
    p("FLOOR (one after the other, same corpus, medians)")
    p(f"  cmark-gfm over all post Markdown   {fmt(med(floor['cmark'].values())):>8} s   "
      f"({meta.get('md_mb', '?')} MB, -e table -e strikethrough -e autolink -e tagfilter -e tasklist)")
    p(f"  git log --name-only (history)      {fmt(med(floor['gitlog'].values())):>8} s")
    p(f"  cp -r of ardoise's output tree     {fmt(med(floor['cp'].values())):>8} s")
    p(f"  floor (median of per-round sums)   {fmt(floor_med):>8} s   runs: {' '.join(f'{s:.2f}' for s in sums)}")
    floor_ratio = ratio(a["wall"], floor_med)
    p(f"  ardoise / floor                    {fmt(floor_ratio, '.2f'):>8}")
    p("")

    # --- git metadata --------------------------------------------------------------------------
    hist = med(r.get("timing", {}).get("history") for r in main_runs["ardoise"])
    gitlog = med(floor["gitlog"].values())
    hist_ratio = ratio(hist, gitlog)
    p(f"GIT METADATA ALONE ({posts} posts, {meta.get('commits', '?')} commits)")
    p(f"  ardoise 'history' figure, cold      {fmt(hist):>8} s   (median of the full builds above)")
    p(f"  git log --name-only, same history   {fmt(gitlog):>8} s")
    p(f"  ardoise / git log                   {fmt(hist_ratio, '.2f'):>8}")
    first = pick(recs, phase="cached", tool="ardoise", step="first", type="run")
    spare = pick(recs, phase="cached", tool="ardoise", step="spare", type="run")
    reb = pick(recs, phase="cached", tool="ardoise", step="rebuild", type="run")
    chg = pick(recs, phase="cached", step="rebuild", type="changed")
    cached_hist = med(r.get("timing", {}).get("history") for r in reb)
    if first:
        p(f"  cached: first build of a scratch clone {first[0]['wall']:.3f} s wall, history "
          f"{fmt(first[0].get('timing', {}).get('history'))} s")
        if spare:
            p(f"  first rebuild after one new commit, which also makes the spare tree (once per output): "
              f"{spare[0]['wall']:.3f} s")
        p(f"  then {len(reb)} x (one new commit, rebuild into the same DIR):")
        for r, c in zip(reb, chg + [None] * len(reb)):
            changed = (f", files rewritten {c['rewritten']}/{c['files']}, added {c['added']}, removed {c['removed']}"
                       if c else "")
            p(f"    rebuild {r['round']}: history {fmt(r.get('timing', {}).get('history'))} s, "
              f"wall {r['wall']:.3f} s{changed}")
        p(f"  cached history figure (median)      {fmt(cached_hist and cached_hist * 1000, '.1f')} ms"
          f"   (rebuild wall median {fmt(med(r['wall'] for r in reb))} s)")
    p("")
    # --- push to publish (issue 5) ---------------------------------------------------------------
    same = pick(recs, phase="cached", tool="ardoise", step="same", type="run")
    check = pick(recs, phase="cached", tool="ardoise", step="check", type="run")
    edit_wall = med(r["wall"] for r in reb) if reb else None
    full_wall = med(r["wall"] for r in main_runs["ardoise"])
    edit_share = ratio(edit_wall, full_wall)
    rewritten = max((c["rewritten"] for c in chg), default=None)
    total_files = max((c["files"] for c in chg), default=None)
    same_wall = med(r["wall"] for r in same) if same else None
    check_wall = med(r["wall"] for r in check) if check else None
    check_share = ratio(check_wall, full_wall)
    if reb or same or check:
        p(f"PUSH TO PUBLISH ({posts} posts, the scratch clone above, whole process wall)")
        p(f"  one post edited, rebuild            {fmt(edit_wall):>8} s   = {fmt(edit_share, '.3f')} of a full build; "
          f"files rewritten {rewritten}/{total_files}")
        p(f"  nothing changed, rebuild            {fmt(same_wall):>8} s   runs: "
          + " ".join(f"{r['wall']:.3f}" for r in same))
        p(f"  ardoise check                       {fmt(check_wall):>8} s   = {fmt(check_share, '.3f')} of a full build")
        p("")

    # --- growth -------------------------------------------------------------------------------
    sizes = [int(x) for x in meta.get("growth", "").split()]
    per_post = []
    if sizes:
        p("GROWTH (ardoise full build, cold output directory, median wall)")
        p(f"  {'posts':>7} {'wall s':>9} {'µs/post':>9} {'history s':>10} {'µs/post':>9}  runs")
        for n in sizes:
            rs = pick(recs, phase="growth", size=n, tool="ardoise", type="run")
            src = ""
            if not rs and n == posts:
                rs, src = main_runs["ardoise"], "  (the full-build runs above)"
            w = med(r["wall"] for r in rs)
            hh = med(r.get("timing", {}).get("history") for r in rs)
            per_post.append((n, w and w / n * 1e6))
            walls = " ".join(f"{r['wall']:.2f}" for r in rs)
            p(f"  {n:>7} {fmt(w):>9} {fmt(w and w / n * 1e6, '.1f'):>9} {fmt(hh):>10} "
              f"{fmt(hh and hh / n * 1e6, '.1f'):>9}  {walls}{src}")
        p("")
    growth_worst = None
    steps = sorted((n, v) for n, v in per_post if v)
    for (n1, v1), (n2, v2) in zip(steps, steps[1:]):
        g = v2 / v1
        growth_worst = g if growth_worst is None else max(growth_worst, g)

    # --- targets ------------------------------------------------------------------------------
    def verdict(value, ok):
        return "n/a " if value is None else ("PASS" if ok(value) else "FAIL")

    rows = [
        ("page set within 20% of Hugo's (file count)", "ardoise/hugo files", parity,
         lambda v: abs(v - 1) <= PARITY, "within 0.80..1.20", ".3f"),
        ("full cold build vs floor", "ardoise/floor", floor_ratio, lambda v: v <= 1.0, "<= 1.00", ".2f"),
        ("at least 10x faster than Hugo (enableGitInfo)", "hugo/ardoise wall", speed,
         lambda v: v >= 10, ">= 10", ".1f"),
        ("peak memory at most 1/10 of Hugo's", "ardoise/hugo RSS", mem, lambda v: v <= 0.1, "<= 0.100", ".3f"),
        ("git metadata, cold, vs git log --name-only", "history/git log", hist_ratio,
         lambda v: v <= 1.0, "<= 1.00", ".2f"),
        ("git metadata, cached, one new commit", "history ms", cached_hist and cached_hist * 1000,
         lambda v: v < 50, "< 50", ".1f"),
        ("linear growth " + " -> ".join(str(n) for n, _ in steps), "worst µs/post step ratio", growth_worst,
         lambda v: v <= GROWTH_TOLERANCE, f"<= {GROWTH_TOLERANCE:.2f}", ".2f"),
    ]
    rows += [
        ("one post edited: rebuild under 100 ms", "rebuild wall s", edit_wall, lambda v: v < 0.1, "< 0.100", ".3f"),
        ("one post edited: under 5% of a full build", "rebuild/full", edit_share, lambda v: v < 0.05, "< 0.050", ".3f"),
        ("one post edited: only its pages rewritten", "files rewritten", rewritten,
         lambda v: total_files and v < 0.01 * total_files, "< 1% of files", "d"),
        ("nothing changed: rebuild under 50 ms", "rebuild wall s", same_wall, lambda v: v < 0.05, "< 0.050", ".3f"),
        ("ardoise check under 1/3 of a full build", "check/full", check_share, lambda v: v < 1 / 3, "< 0.333", ".3f"),
    ]
    p("TARGETS")
    for name, what, v, ok, want, spec in rows:
        p(f"  {verdict(v, ok)}  {name:46} {what:26} {fmt(v, spec):>8}  (target {want})")
    p("  (the bench reports; it does not fail the build)")

    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    with open(report_path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
