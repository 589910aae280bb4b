#!/usr/bin/env python3
"""embx's trainer side by side with gensim Word2Vec (and, optionally, the word2vec C tool).

Run with a Python that has gensim (../shared/bench/setup-venv.sh makes one):

    /tmp/anchors/venv/bin/python scripts/bench_train.py [--quality] [--speed] [options]

Quality (--quality): for each model (skip-gram, CBOW) and seed, trains gensim and embx with the
same settings -- dim 100, window 5, negative 5, min_count 5, sample 1e-3, 5 epochs, 2 threads,
alpha 0.025 falling linearly to 0.0001 (gensim's defaults; embx gets them through --alpha and
--min-alpha) -- and scores both with `embx eval` (Google analogies over the whole vocabulary with
preset gensim, which reproduces gensim's evaluate_word_analogies, and WordSim353 Spearman). For
the first seed, gensim's own evaluator also scores embx's vectors, as a cross-check.

Speed (--speed): one epoch, skip-gram and CBOW, 1 and 2 threads, rounds interleaved. Prints
corpus words per second per thread of the training phase (all tokens of the corpus, every epoch,
divided by the seconds the tool spends training and by the threads) and, tool-neutral, corpus
words per second of the whole process wall time. With --w2v BIN (a word2vec C binary built by
the caller from a fetched copy; never committed) the C tool runs too.

Objectives: --hs trains hierarchical softmax on both sides (gensim hs=1 negative=0, embx --loss
hs); --subwords trains fastText-style subwords (gensim FastText min_n 3, max_n 6, bucket 2,000,000;
embx --subwords with the same n-grams and buckets) and, in --speed, also times the fastText CLI's
trainer through the venv's `fasttext` module (--fasttext-cli); --shared-negatives gives embx
skip-gram shared noise words (pWord2Vec). Analogies and WordSim353 are scored on the known
words' vectors in every mode.

OOV (--oov): trains embx twice with the quality settings but the vocabulary cut at --min-count
(default 20), without and with subwords, and scores WordSim353 and SimLex-999: in the
vocabulary only (gensim's rule), and with the unknown words' vectors built from their n-grams
(`embx eval --oov-subwords`). Prints how many pairs each way scores and their Spearman rho.

Results are printed as Markdown tables and saved as JSON in --out.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sh(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit("command failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr[-2000:]))
    return r


def corpus_tokens(path):
    n = 0
    with open(path, "rb") as f:
        for line in f:
            n += len(line.split())
    return n


# ---------------------------------------------------------------------------------------------
# gensim, in a child process (own memory, PYTHONHASHSEED fixed)


def gensim_child(a):
    import logging  # noqa: F401  (gensim logs nothing unless configured)

    from gensim.models import FastText, Word2Vec
    from gensim.models.word2vec import LineSentence

    kw = dict(vector_size=100, window=5, negative=0 if a.hs else 5, hs=1 if a.hs else 0,
              min_count=5, sample=1e-3, sg=1 if a.model == "skipgram" else 0,
              workers=a.threads, epochs=a.epochs, seed=a.seed, alpha=0.025, min_alpha=0.0001)
    if a.subwords:
        model = FastText(min_n=3, max_n=6, bucket=2000000, **kw)
    else:
        model = Word2Vec(**kw)
    corpus = LineSentence(a.corpus)
    t0 = time.perf_counter()
    model.build_vocab(corpus)
    t1 = time.perf_counter()
    model.train(corpus, total_examples=model.corpus_count, epochs=a.epochs)
    t2 = time.perf_counter()
    if a.save:
        model.wv.save_word2vec_format(a.save, binary=True)
    print(json.dumps({"vocab": len(model.wv), "vocab_s": t1 - t0, "train_s": t2 - t1}))


OBJECTIVE = {"hs": False, "subwords": False, "shared_negatives": False}


def run_gensim(py, corpus, model, threads, epochs, seed, save=None):
    env = dict(os.environ, PYTHONHASHSEED="0")
    cmd = [py, os.path.abspath(__file__), "--gensim-child", "--corpus", corpus, "--model", model,
           "--threads", str(threads), "--epochs", str(epochs), "--seed", str(seed)]
    cmd += ["--hs"] if OBJECTIVE["hs"] else []
    cmd += ["--subwords"] if OBJECTIVE["subwords"] else []
    if save:
        cmd += ["--save", save]
    t = time.perf_counter()
    r = sh(cmd, env=env)
    wall = time.perf_counter() - t
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out


# ---------------------------------------------------------------------------------------------
# embx


def run_embx(embx, corpus, model, threads, epochs, seed, out, same_as_gensim=True):
    cmd = [embx, "train", corpus, "-o", out, "--model", model, "--threads", str(threads),
           "--epochs", str(epochs), "--seed", str(seed), "--progress", "none", "-q"]
    if same_as_gensim:
        cmd += ["--alpha", "0.025", "--min-alpha", "0.0001"]
    cmd += ["--loss", "hs"] if OBJECTIVE["hs"] else []
    cmd += ["--subwords", "--minn", "3", "--maxn", "6", "--buckets", "2000000"] \
        if OBJECTIVE["subwords"] else []
    cmd += ["--shared-negatives"] if OBJECTIVE["shared_negatives"] else []
    t = time.perf_counter()
    sh(cmd)
    wall = time.perf_counter() - t
    info = json.loads(sh([embx, "info", out, "--json"]).stdout)
    import tomllib

    meta = tomllib.loads(info["metadata"])
    return {"vocab": info["words"], "train_s": meta["result"]["seconds"], "wall_s": wall}


def score(embx, path):
    r = sh([embx, "eval", path, "--analogies", "google", "--preset", "gensim", "--restrict",
            "100000000", "--pairs", "wordsim353", "--json"])
    d = json.loads(r.stdout)
    rep = d["analogies"][0]["report"]
    total, syn = rep["total"], rep["syntactic"]
    return {
        "syntactic_pct": 100.0 * syn["correct"] / max(syn["evaluated"], 1),
        "analogy_pct": 100.0 * total["correct"] / max(total["evaluated"], 1),
        "analogy_correct": total["correct"],
        "analogy_evaluated": total["evaluated"],
        "ws353_spearman": d["pairs"][0]["report"]["spearman"],
    }


def gensim_score(path):
    """gensim's own evaluator on a word2vec binary file (the cross-check)."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(path, binary=True)
    qs = os.path.join(ROOT, "assets", "eval", "questions-words.txt")
    ws = os.path.join(ROOT, "assets", "eval", "wordsim353.tsv")
    acc, sections = kv.evaluate_word_analogies(qs, restrict_vocab=100000000)
    total = [s for s in sections if s["section"] == "Total accuracy"][0]
    n = len(total["correct"]) + len(total["incorrect"])
    _, sp, _ = kv.evaluate_word_pairs(ws)
    return {"analogy_pct": 100.0 * acc, "analogy_correct": len(total["correct"]),
            "analogy_evaluated": n, "ws353_spearman": sp.statistic}


# ---------------------------------------------------------------------------------------------


def quality(a, py, tmp, results):
    rows = []
    for model in a.models:
        for seed in a.seeds:
            g_out = os.path.join(tmp, "gensim-%s-%d.bin" % (model, seed))
            e_out = os.path.join(tmp, "embx-%s-%d.fifu" % (model, seed))
            g = run_gensim(py, a.corpus, model, 2, 5, seed, save=g_out)
            e = run_embx(a.embx, a.corpus, model, 2, 5, seed, e_out)
            gs, es = score(a.embx, g_out), score(a.embx, e_out)
            row = {"model": model, "seed": seed, "gensim": {**g, **gs}, "embx": {**e, **es}}
            if seed == a.seeds[0]:
                e_bin = os.path.join(tmp, "embx-%s-%d.bin" % (model, seed))
                sh([a.embx, "convert", e_out, e_bin, "--to", "word2vec", "-q"])
                row["embx_by_gensim_eval"] = gensim_score(e_bin)
            rows.append(row)
            print("quality %s seed %d: gensim %.2f %% (syntactic %.2f %%) ρ %.4f (train %.1f s) | "
                  "embx %.2f %% (syntactic %.2f %%) ρ %.4f (train %.1f s)" % (
                      model, seed, gs["analogy_pct"], gs["syntactic_pct"], gs["ws353_spearman"],
                      g["train_s"], es["analogy_pct"], es["syntactic_pct"], es["ws353_spearman"],
                      e["train_s"]), flush=True)
            if "embx_by_gensim_eval" in row:
                x = row["embx_by_gensim_eval"]
                print("  cross-check: gensim's evaluator on embx's vectors: %.2f %% (%d/%d) ρ %.4f"
                      % (x["analogy_pct"], x["analogy_correct"], x["analogy_evaluated"],
                         x["ws353_spearman"]), flush=True)
    results["quality"] = rows
    print("\n| model | seed | gensim analogy | embx analogy | gensim WS353 ρ | embx WS353 ρ |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        g, e = r["gensim"], r["embx"]
        print("| %s | %d | %.2f %% (%d/%d) | %.2f %% (%d/%d) | %.4f | %.4f |" % (
            r["model"], r["seed"], g["analogy_pct"], g["analogy_correct"], g["analogy_evaluated"],
            e["analogy_pct"], e["analogy_correct"], e["analogy_evaluated"],
            g["ws353_spearman"], e["ws353_spearman"]))
    for model in a.models:
        rs = [r for r in rows if r["model"] == model]
        ga = statistics.mean(r["gensim"]["analogy_pct"] for r in rs)
        ea = statistics.mean(r["embx"]["analogy_pct"] for r in rs)
        gw = statistics.mean(r["gensim"]["ws353_spearman"] for r in rs)
        ew = statistics.mean(r["embx"]["ws353_spearman"] for r in rs)
        ok = abs(ea - ga) <= 1.5 and abs(ew - gw) <= 0.03
        print("| **%s mean** | %d seeds | %.2f %% | %.2f %% (Δ %+.2f pts) | %.4f | %.4f (Δ %+.4f) |"
              " %s" % (model, len(rs), ga, ea, ea - ga, gw, ew, ew - gw,
                       "within target" if ok else "OUTSIDE target (1.5 pts / 0.03)"))


def oov(a, tmp, results):
    rows = []
    for sub in (False, True):
        out = os.path.join(tmp, "oov-%s.fifu" % ("subwords" if sub else "plain"))
        cmd = [a.embx, "train", a.corpus, "-o", out, "--model", a.models[0], "--threads", "2",
               "--epochs", "5", "--seed", str(a.seeds[0]), "--progress", "none", "-q",
               "--alpha", "0.025", "--min-alpha", "0.0001", "--min-count", str(a.min_count)]
        cmd += ["--loss", "hs"] if OBJECTIVE["hs"] else []
        if sub:
            cmd += ["--subwords", "--minn", "3", "--maxn", "6", "--buckets", "2000000"]
        t = time.perf_counter()
        sh(cmd)
        wall = time.perf_counter() - t
        for pairs in ("wordsim353", "simlex999"):
            for use_sub in ((False, True) if sub else (False,)):
                ev = [a.embx, "eval", out, "--pairs", pairs, "--restrict", "100000000", "--json"]
                ev += ["--oov-subwords"] if use_sub else []
                rep = json.loads(sh(ev).stdout)["pairs"][0]["report"]
                row = {"subwords": sub, "set": pairs, "oov_from_subwords": use_sub,
                       "used": rep["used"], "oov": rep["oov"], "spearman": rep["spearman"],
                       "from_subwords": rep.get("from_subwords", 0), "train_wall_s": wall}
                rows.append(row)
                print("oov %s %s%s: %d pairs used (%d from subwords), %d OOV, rho %.4f" % (
                    "subwords" if sub else "plain", pairs, " +oov" if use_sub else "",
                    row["used"], row["from_subwords"], row["oov"], row["spearman"]), flush=True)
    results["oov"] = rows
    print("\n| training (min-count %d, %s) | set | scoring | pairs scored | of them via subwords "
          "| Spearman ρ |" % (a.min_count, a.models[0]))
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print("| %s | %s | %s | %d | %d | %.4f |" % (
            "subwords" if r["subwords"] else "no subwords", r["set"],
            "unknown words from n-grams" if r["oov_from_subwords"] else "vocabulary only",
            r["used"], r["from_subwords"], r["spearman"]))


def speed(a, py, tmp, results, tokens):
    runs = []
    configs = [(m, t) for m in a.models for t in a.speed_threads]
    for rnd in range(a.rounds):
        for model, threads in configs:
            out = os.path.join(tmp, "speed.fifu")
            e = run_embx(a.embx, a.corpus, model, threads, 1, 1, out, same_as_gensim=False)
            runs.append({"round": rnd, "tool": "embx", "model": model, "threads": threads, **e})
            g = run_gensim(py, a.corpus, model, threads, 1, 1)
            runs.append({"round": rnd, "tool": "gensim", "model": model, "threads": threads, **g})
            extra = 0
            if a.w2v:
                w = run_w2v(a.w2v, a.corpus, model, threads, tmp)
                runs.append({"round": rnd, "tool": "word2vec.c", "model": model,
                             "threads": threads, **w})
                extra += 1
            if a.fasttext_cli:
                f = run_fasttext(py, a.corpus, model, threads)
                runs.append({"round": rnd, "tool": "fastText", "model": model,
                             "threads": threads, **f})
                extra += 1
            for r in runs[-(2 + extra):]:
                print("speed round %d %s %s threads %d: train %s s, wall %.1f s" % (
                    rnd, r["tool"], model, threads,
                    "%.1f" % r["train_s"] if r.get("train_s") else "-", r["wall_s"]), flush=True)
    results["speed"] = runs
    print("\nCorpus: %d tokens. Figures: median over %d round(s) [min-max]." % (tokens, a.rounds))
    print("| config | tool | train s | corpus words/s/thread (training) | corpus words/s (whole "
          "process) | vs gensim, same config |")
    print("| --- | --- | --- | --- | --- | --- |")

    def med(xs):
        return statistics.median(xs), min(xs), max(xs)

    summary = {}
    for model, threads in configs:
        for tool in TOOLS:
            rs = [r for r in runs if r["tool"] == tool and r["model"] == model
                  and r["threads"] == threads]
            if not rs:
                continue
            per_thread = [tokens / r["train_s"] / threads for r in rs if r.get("train_s")]
            whole = [tokens / r["wall_s"] for r in rs]
            summary[(tool, model, threads)] = (per_thread, whole)
        for tool in TOOLS:
            if (tool, model, threads) not in summary:
                continue
            per_thread, whole = summary[(tool, model, threads)]
            g_pt, g_whole = summary[("gensim", model, threads)]
            if per_thread:
                pt = "%.0f k [%.0f–%.0f]" % tuple(x / 1e3 for x in med(per_thread))
                ratio = "%.2f×" % (statistics.median(per_thread) / statistics.median(g_pt))
            else:
                pt, ratio = "–", "%.2f× (whole process)" % (
                    statistics.median(whole) / statistics.median(g_whole))
            ts = [r["train_s"] for r in runs if r["tool"] == tool and r["model"] == model
                  and r["threads"] == threads and r.get("train_s")]
            print("| %s, %d thread%s | %s | %s | %s | %.0f k | %s |" % (
                model, threads, "s" if threads > 1 else "", tool,
                "%.1f" % statistics.median(ts) if ts else "–", pt,
                statistics.median(whole) / 1e3, ratio))
    for model in a.models:
        if ("embx", model, 1) in summary and ("embx", model, 2) in summary:
            one = statistics.median(summary[("embx", model, 1)][0])
            two = statistics.median(summary[("embx", model, 2)][0]) * 2
            whole1 = statistics.median(summary[("embx", model, 1)][1])
            whole2 = statistics.median(summary[("embx", model, 2)][1])
            print("embx %s scaling 1 → 2 threads: %.2f× training words/s, %.2f× whole process"
                  % (model, two / one, whole2 / whole1))


TOOLS = ("gensim", "embx", "word2vec.c", "fastText")


def run_fasttext(py, corpus, model, threads):
    """The fastText trainer (the CLI's C++ code) through the venv's module, one epoch."""
    bench = "/work/shared/bench/bench_train_fasttext.py"
    cmd = [py, bench, corpus, "--threads", str(threads), "--epochs", "1", "--subwords",
           "1" if OBJECTIVE["subwords"] else "0", "--model", model]
    t = time.perf_counter()
    r = sh(cmd)
    wall = time.perf_counter() - t
    fields = dict(kv.split("=", 1) for kv in r.stdout.split() if "=" in kv)
    return {"train_s": float(fields["train_s"]), "wall_s": wall}


def run_w2v(binary, corpus, model, threads, tmp):
    out = os.path.join(tmp, "w2v.bin")
    cmd = [binary, "-train", corpus, "-output", out, "-cbow", "1" if model == "cbow" else "0",
           "-size", "100", "-window", "5", "-negative", "5", "-hs", "0", "-sample", "1e-3",
           "-threads", str(threads), "-iter", "1", "-min-count", "5", "-binary", "1"]
    t = time.perf_counter()
    sh(cmd)
    return {"wall_s": time.perf_counter() - t}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gensim-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--save", help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--epochs", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", default="/tmp/anchors/data/corpus/corpus.txt")
    ap.add_argument("--embx", default=os.path.join(ROOT, "target", "release", "embx"))
    ap.add_argument("--quality", action="store_true")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--oov", action="store_true", help="OOV pairs at a high --min-count")
    ap.add_argument("--min-count", type=int, default=20, help="vocabulary cut for --oov")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--models", default="skipgram,cbow")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--w2v", help="a word2vec C binary to time beside them")
    ap.add_argument("--out", default="/tmp/embx-bench-train")
    ap.add_argument("--speed-threads", default="1,2", help="thread counts timed in --speed")
    ap.add_argument("--hs", action="store_true", help="hierarchical softmax on both sides")
    ap.add_argument("--subwords", action="store_true", help="fastText subwords on both sides")
    ap.add_argument("--shared-negatives", action="store_true", help="embx skip-gram only")
    ap.add_argument("--fasttext-cli", action="store_true",
                    help="also time fastText's trainer in --speed")
    a = ap.parse_args()
    OBJECTIVE.update(hs=a.hs, subwords=a.subwords, shared_negatives=a.shared_negatives)
    if a.gensim_child:
        return gensim_child(a)
    if not (a.quality or a.speed or a.oov):
        a.quality = a.speed = True
    a.seeds = [int(s) for s in a.seeds.split(",")]
    a.models = a.models.split(",")
    a.speed_threads = [int(t) for t in a.speed_threads.split(",")]
    if not os.path.exists(a.embx):
        sys.exit("no embx binary at %s (cargo build --release)" % a.embx)
    if not os.path.exists(a.corpus):
        sys.exit("no corpus at %s (bash ../shared/bench/get-data.sh)" % a.corpus)
    os.makedirs(a.out, exist_ok=True)
    results = {"corpus": a.corpus, "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    tokens = corpus_tokens(a.corpus)
    results["tokens"] = tokens
    with tempfile.TemporaryDirectory(dir=a.out) as tmp:
        if a.quality:
            quality(a, sys.executable, tmp, results)
        if a.speed:
            speed(a, sys.executable, tmp, results, tokens)
        if a.oov:
            oov(a, tmp, results)
    path = os.path.join(a.out, "results-%s.json" % time.strftime("%Y%m%dT%H%M%S"))
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
    print("\nresults: %s" % path)


if __name__ == "__main__":
    main()
