#!/usr/bin/env python3
"""Generate assets/frames/frames.tsv, the event-frame lexicon embedded by src/compare/frames.rs.

Source: WordNet 3.0 as shipped by Debian's `wordnet-base` (`apt-get install wordnet-base`,
files under /usr/share/wordnet; licence in assets/frames/LICENSE.md). Nothing else: no word of
the lexicon is listed by hand except the light verbs below, which carry no event of their own.

What it is for: two outlets paraphrase one event with different words ("bought" / "acquired" /
"took over", "the blaze" / "the fire", "walked out" / "went on strike", "resume" /
"resumption"). factdiff decides that two predicates name the same kind of event when they share
a WordNet sense, or when one's sense is a hypernym (up to two levels) of the other's. Nouns count
only in their event senses (below event.n.01 or phenomenon.n.01: "strike" the walkout, not
"leader" from "lead") and take the senses of the verbs they derive from (WordNet's "+"
pointers), so nominalisations meet their verbs.

Usage:
  python3 scripts/frames.py [--wordnet /usr/share/wordnet] > assets/frames/frames.tsv
  python3 scripts/frames.py --things > assets/frames/things.tsv   (counted things, see things())

Output, one lemma per line, tab-separated:
  lemma  flags  own  up
lemma: lower case, multi-word lemmas with spaces ("take over"; only verb + particle pairs);
flags: "v" and/or "n" (the parts of speech it has here), "g" when it is a generic event noun
("incident", "event", "episode": a noun-only lemma whose first sense is happening/event or
one level below it; it can stand for whatever event the story is about);
own: comma-separated sense ids (base-36 WordNet offsets, suffixed v/n) of its first senses;
up: the same for the hypernyms of those senses, up to two levels.
Then lines "=form<TAB>lemma" give WordNet's irregular forms (bought -> buy) of listed lemmas.
"""
import argparse
import os
import sys

# Verbs too general to name an event ("said", "got", "made"): support verbs, not predicates.
LIGHT_VERBS = {
    "be", "have", "do", "say", "make", "get", "take", "go", "come", "give", "put", "set",
    "keep", "let", "seem", "become", "tell", "see", "know", "think", "add", "include",
    "use", "find", "want", "need", "show", "call", "try", "ask", "look", "mean", "remain",
    # modals, which WordNet also lists as verbs ("will" = bequeath, "can" = preserve)
    "will", "can", "may", "must", "might", "shall",
}
VERB_SENSES = 8     # first senses (WordNet orders them by frequency) kept for a verb
NOUN_SENSES = 3     # and for a noun
THING_SENSES = 2    # and for a counted thing (--things)
# Roots of the noun hierarchy whose hyponyms are events or actions.
EVENT_ROOTS = {"00029378n", "00034213n"}  # event.n.01 (act, happening …), phenomenon.n.01
# A noun sense with more direct hyponyms than this is a category ("activity", "act",
# "happening"), too general to tell one event from another.
MAX_HYPONYMS = 25
GENERIC_ROOTS = {"07283608n", "00029378n"}  # happening.n.01, event.n.01
# "in"/"on" are left out: "held in Kyiv" and "met on Tuesday" are not phrasal verbs.
PARTICLES = {"up", "down", "out", "off", "over", "back", "away"}


def b36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if n == 0:
            return s


def read_data(path, pos):
    """offset+pos -> (lemmas, hypernym ids, derivation ids)"""
    syn = {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            head = line.split(" | ")[0].split()
            off = head[0]
            w_cnt = int(head[3], 16)
            words = [head[4 + 2 * i].lower() for i in range(w_cnt)]
            i = 4 + 2 * w_cnt
            p_cnt = int(head[i])
            hyper, deriv, hypo = [], [], 0
            for k in range(p_cnt):
                sym, target, tpos = head[i + 1 + 4 * k: i + 4 + 4 * k]
                tid = target + ("n" if tpos == "n" else tpos)
                if sym in ("@", "@i"):
                    hyper.append(tid)
                elif sym == "+" and tpos == "v":
                    deriv.append(tid)
                elif sym in ("~", "~i"):
                    hypo += 1
            syn[off + pos] = ([w.split("(")[0] for w in words], hyper, deriv, hypo)
    return syn


def read_index(path, pos):
    out = {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            parts = line.split()
            lemma = parts[0]
            synset_cnt = int(parts[2])
            out[lemma] = [o + pos for o in parts[-synset_cnt:]]
    return out


def wanted(lemma):
    words = lemma.split("_")
    if len(words) == 1:
        return lemma.isalpha() and len(lemma) > 2
    return len(words) == 2 and words[1] in PARTICLES and words[0].isalpha()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--things", action="store_true",
                    help="write the counted-things lexicon (things.tsv) instead")
    a = ap.parse_args()
    wn = a.wordnet
    if a.things:
        return things(wn)
    syn = read_data(os.path.join(wn, "data.verb"), "v")
    syn.update(read_data(os.path.join(wn, "data.noun"), "n"))
    vidx = read_index(os.path.join(wn, "index.verb"), "v")
    nidx = read_index(os.path.join(wn, "index.noun"), "n")

    def ancestors(sid, depth):
        seen, frontier = set(), [sid]
        for _ in range(depth):
            nxt = []
            for s in frontier:
                for h in syn.get(s, ((), (), (), 0))[1]:
                    if h not in seen:
                        seen.add(h)
                        nxt.append(h)
            frontier = nxt
        return seen

    def under(sid, roots, depth=12):
        return bool(({sid} | ancestors(sid, depth)) & roots)

    def generic(sid):
        # happening / event itself or one level below: "incident", "occurrence", "episode"
        return sid in GENERIC_ROOTS or bool(ancestors(sid, 1) & GENERIC_ROOTS)

    entries = {}
    for lemma, senses in vidx.items():
        if not wanted(lemma) or lemma in LIGHT_VERBS:
            continue
        own = senses[:VERB_SENSES] if "_" not in lemma else senses
        e = entries.setdefault(lemma, [set(), set(), set()])
        e[0].add("v")
        e[1].update(own)
    for lemma, senses in nidx.items():
        if not wanted(lemma) or "_" in lemma:
            continue
        own = []
        for s in senses[:NOUN_SENSES]:
            if under(s, EVENT_ROOTS) and syn[s][3] <= MAX_HYPONYMS:
                own.append(s)
                own.extend(syn[s][2])
        if not own:
            continue
        e = entries.setdefault(lemma, [set(), set(), set()])
        e[0].add("n")
        if generic(senses[0]) and lemma not in vidx:
            e[0].add("g")
        e[1].update(own)
    for lemma, e in entries.items():
        for s in e[1]:
            e[2].update(ancestors(s, 2))
        e[2] -= e[1]

    write(wn, entries, ("verb", "noun"))


def ids(xs):
    return ",".join(sorted(b36(int(x[:-1])) + x[-1] for x in xs))


def write(wn, entries, exc):
    """The lexicon lines, then WordNet's irregular forms of its lemmas."""
    out = sys.stdout
    for lemma in sorted(entries):
        flags, own, up = entries[lemma]
        fl = "".join(f for f in "vng" if f in flags)
        out.write(f"{lemma.replace('_', ' ')}\t{fl}\t{ids(own)}\t{ids(up)}\n")
    for pos in exc:
        with open(os.path.join(wn, pos + ".exc"), encoding="latin-1") as f:
            for line in f:
                form, lemma = line.split()[:2]
                if lemma in entries and form.isalpha() and form != lemma:
                    out.write(f"={form}\t{lemma.replace('_', ' ')}\n")


def tagged_nouns(path):
    """Noun lemmas that occur in WordNet's sense-tagged corpus (the ones news uses)."""
    out = set()
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            p = line.split()
            if int(p[5 + int(p[3])]) > 0:
                out.add(p[0])
    return out


def things(wn):
    """The counted-things lexicon (assets/frames/things.tsv): what a count counts or a term
    names ("seven rifles" / "12 guns", "a four-year deal" / "a five-year contract"). Same
    format as frames.tsv (flags "n"). Every sense-tagged single-word noun, its first
    THING_SENSES senses and their hypernyms up to two levels, leaving out broad categories
    (more than MAX_HYPONYMS direct hyponyms: "person", "device", "worker"), through which
    everything would be related to everything."""
    syn = read_data(os.path.join(wn, "data.noun"), "n")
    nidx = read_index(os.path.join(wn, "index.noun"), "n")
    tagged = tagged_nouns(os.path.join(wn, "index.noun"))

    def narrow_ancestors(sid):
        seen, frontier = set(), [sid]
        for _ in range(2):
            nxt = []
            for s in frontier:
                for h in syn[s][1]:
                    if h not in seen and syn[h][3] <= MAX_HYPONYMS:
                        seen.add(h)
                        nxt.append(h)
            frontier = nxt
        return seen

    entries = {}
    for lemma, senses in nidx.items():
        if lemma not in tagged or not lemma.isalpha() or len(lemma) < 2:
            continue
        own = set(senses[:THING_SENSES])
        up = set()
        for s in own:
            up |= narrow_ancestors(s)
        entries[lemma] = ({"n"}, own, up - own)
    write(wn, entries, ("noun",))


if __name__ == "__main__":
    main()
