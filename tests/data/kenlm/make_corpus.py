"""Writes corpus.txt, the KenLM fixture's text: 400 generated sentences whose words follow
Zipf's law and repeat in phrases, so that every order of a 4-gram model has n-grams seen once,
twice, three and four times (lmplz then needs no fallback discounts).

Deterministic: a fixed linear congruential generator, no imports beyond the standard library.
"""

state = 12345


def rand():
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (state >> 11) / float(1 << 53)


NOUNS = ["cat", "dog", "king", "queen", "city", "river", "house", "tree", "bird", "road",
         "man", "woman", "child", "ship", "stone", "field", "star", "door", "wall", "book"]
VERBS = ["sees", "likes", "finds", "takes", "builds", "leaves", "keeps", "holds"]
ADJS = ["old", "big", "small", "red", "quiet", "new"]
# A long tail of rarer nouns, so that some words follow one, two or three distinct words.
NOUNS += [a + b for a in ["ka", "lo", "mi", "tu", "re", "sa"] for b in ["ran", "vel", "dor", "pim", "sut"]]
ADJS += ["green", "far", "wet", "cold"]


def zipf(words):
    r = rand()
    i = int(len(words) ** r) - 1
    return words[min(i, len(words) - 1)]


def noun_phrase():
    if rand() < 0.4:
        return ["the", zipf(ADJS), zipf(NOUNS)]
    return ["the", zipf(NOUNS)]


def sentence():
    words = noun_phrase() + [zipf(VERBS)] + noun_phrase()
    if rand() < 0.3:
        words += ["of", "the", zipf(NOUNS)]
    if rand() < 0.2:
        words = ["then"] + words
    return " ".join(words)


with open("corpus.txt", "w", encoding="utf-8") as f:
    for _ in range(400):
        f.write(sentence() + "\n")
