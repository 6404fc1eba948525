#!/usr/bin/python3
"""bench/corpora.py: real labeled text corpora from Debian-packaged text.

    bench/corpora.py DIR [NAME...]

writes DIR/NAME-train.csv and DIR/NAME-test.csv (columns text,label) for
each corpus below (all of them without NAME), a seeded, stratified 80/20
split (random.Random(1) shuffles each class; the first 80% of a class
trains), and prints one line per corpus: its name, classes, training and
test records. None of the text is written by sift: it is what Debian
installs on this machine, so the figures depend on the packages present.

  fortunes   fortune cookies by category: ten files of the package
             `fortunes` (computers ... medicine), one cookie a record
  debian     Debian package descriptions (apt-cache dumpavail, the short
             Description) labeled by their Section; the 20 largest
             sections, the component prefix (contrib/, non-free/) dropped
  man        man pages by section (1, 2, 3, 5, 7, 8) from the text of
             their NAME and DESCRIPTION (roff requests and escapes
             stripped, "(3)"-like references removed, at most 200 words);
             at most 3000 pages a section, drawn with the same seed; the
             pages of gcloud (google-cloud-cli, not a Debian package) left
             out
  language   translated messages of the programs' message catalogs
             (/usr/share/locale/L/LC_MESSAGES/*.mo through msgunfmt)
             labeled by their language, twelve languages (three pairs of
             close kin: da/sv, es/pt_BR, ru/uk); messages of at least two
             words, each distinct message once, at most 4000 a language

The data are never committed; bench/quality.sh makes them under
$SIFT_BENCH_DIR.
"""
import csv
import glob
import gzip
import os
import random
import re
import subprocess
import sys

SEED = 1
FORTUNES = ["computers", "science", "politics", "work", "art", "wisdom",
            "linux", "food", "love", "medicine"]
LANGS = ["de", "fr", "it", "nl", "pl", "cs", "da", "sv", "es", "pt_BR",
         "ru", "uk"]
MAN_SECTIONS = ["1", "2", "3", "5", "7", "8"]


def fortunes():
    d = "/usr/share/games/fortunes"
    for cat in FORTUNES:
        p = os.path.join(d, cat)
        if not os.path.isfile(p):
            continue
        with open(p, encoding="utf-8", errors="replace") as f:
            for c in f.read().split("\n%\n"):
                t = " ".join(c.replace("%", " ").split())
                if t:
                    yield t, cat


def debian():
    out = subprocess.run(["apt-cache", "dumpavail"], capture_output=True,
                         check=True, text=True, errors="replace").stdout
    recs, seen = [], set()
    for para in out.split("\n\n"):
        f = {}
        for line in para.split("\n"):
            if ":" in line and not line.startswith(" "):
                k, v = line.split(":", 1)
                f[k] = v.strip()
        if "Package" not in f or "Section" not in f or "Description" not in f:
            continue
        if f["Package"] in seen:
            continue
        seen.add(f["Package"])
        recs.append((f["Description"], f["Section"].split("/")[-1]))
    n = {}
    for _, s in recs:
        n[s] = n.get(s, 0) + 1
    top = set(sorted(n, key=lambda s: (-n[s], s))[:20])
    return [r for r in recs if r[1] in top]


ROFF_ESC = re.compile(r"\\(f(\[[^]]*\]|\(..|.)|\*(\[[^]]*\]|\(..|.)|"
                      r"\((..)|\[[^]]*\]|s[-+]?\d+|[&|^%:]|.)")
SECREF = re.compile(r"\(\d[a-z]*\)")


def man_text(path):
    try:
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            src = f.read()
    except (OSError, EOFError):
        return ""
    words, keep = [], False
    for line in src.split("\n"):
        m = re.match(r'^[.\'](SH|Sh)\s+"?([^"]*)"?', line)
        if m:
            keep = m.group(2).strip().upper() in ("NAME", "DESCRIPTION")
            continue
        if not keep or line.startswith(".") or line.startswith("'"):
            continue
        t = SECREF.sub(" ", ROFF_ESC.sub(" ", line))
        words.extend(t.split())
        if len(words) >= 200:
            break
    return " ".join(words[:200])


def man():
    rng = random.Random(SEED)
    recs = []
    for s in MAN_SECTIONS:
        pages = sorted(glob.glob("/usr/share/man/man%s/*.gz" % s))
        # gcloud's 16,000 generated pages come from Google's repository,
        # not Debian's, and would make man1 one program's templates.
        pages = [p for p in pages if not os.path.islink(p)
                 and not os.path.basename(p).startswith("gcloud")]
        rng.shuffle(pages)
        n = 0
        for p in pages:
            t = man_text(p)
            if len(t.split()) < 5:
                continue
            recs.append((t, "man" + s))
            n += 1
            if n == 3000:
                break
    return recs


def language():
    rng = random.Random(SEED)
    recs = []
    for lang in LANGS:
        seen = set()
        for mo in sorted(glob.glob("/usr/share/locale/%s/LC_MESSAGES/*.mo"
                                   % lang)):
            r = subprocess.run(["msgunfmt", "--no-wrap", mo],
                               capture_output=True, text=True,
                               errors="replace")
            if r.returncode != 0:
                continue
            for m in re.finditer(r'^msgstr(?:\[0\])? "(.*)"$', r.stdout,
                                 re.M):
                t = m.group(1).encode().decode("unicode_escape",
                                               errors="replace")
                t = t.encode("latin-1", errors="replace").decode(
                    "utf-8", errors="replace")
                t = " ".join(re.sub(r"%[-0-9.]*[a-z]|\\[nt]", " ",
                                    t).split())
                if len(t.split()) >= 2:
                    seen.add(t)
        msgs = sorted(seen)
        rng.shuffle(msgs)
        recs.extend((t, lang) for t in msgs[:4000])
    return recs


CORPORA = {"fortunes": fortunes, "debian": debian, "man": man,
           "language": language}


def write(path, recs):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "label"])
        w.writerows(recs)
    os.replace(tmp, path)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: corpora.py DIR [NAME...]")
    d = sys.argv[1]
    names = sys.argv[2:] or list(CORPORA)
    os.makedirs(d, exist_ok=True)
    for name in names:
        recs = list(CORPORA[name]())
        by = {}
        for t, l in recs:
            by.setdefault(l, []).append((t, l))
        rng = random.Random(SEED)
        train, test = [], []
        for l in sorted(by):
            rs = by[l]
            rng.shuffle(rs)
            k = len(rs) * 4 // 5
            train.extend(rs[:k])
            test.extend(rs[k:])
        rng.shuffle(train)
        rng.shuffle(test)
        write(os.path.join(d, name + "-train.csv"), train)
        write(os.path.join(d, name + "-test.csv"), test)
        print(name, len(by), len(train), len(test))


if __name__ == "__main__":
    main()
