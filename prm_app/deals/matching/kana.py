"""Company names in Japanese script, for conflict matching. Pure functions on plain strings (no database).

- `split_japanese_suffixes("ブランドジャパン")` is "ブランド ジャパン": Japanese writes the group and
  country words of a local entity glued to the name (ブランドジャパン合同会社, ソニーグループ株式会社,
  ブランド日本); set apart, they are words like "Japan" and "Group" in "Brand Japan KK", which
  `multinational.company_core` drops and the blocking keys skip ("t:ブランド" for ブランド株式会社 and
  ブランドジャパン合同会社 alike). A word that starts the name stays glued
  (日本航空 is Japan Airlines, as "Deutsche Bank" keeps "Deutsche"), and a name is never left empty.
- `romaji("ブランド")` is "burando" (Hepburn, for names written in katakana or hiragana only; "" for any other).
- `consonants("burando")` and `consonants("brand")` are both "brnd": the consonant skeleton, with the sounds that
  Japanese loanwords merge folded together (l -> r, v -> b, c/q -> k or s, ph -> f, th -> s, z -> s, x -> ks; w, y
  and doubled letters dropped). A katakana name and a Latin one with the same skeleton *may* be the same company
  written in two scripts (ブランド and Brand, マイクロソフト and Microsoft). It is a weak sign on its own (Brenda has
  it too), so the rules give it fewer points than a name match and say what they compared; a skeleton shorter than
  SKELETON_MIN_LENGTH consonants (ソニー, Sony: "sn") says nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from prm_app.deals.matching.multinational import company_core
from prm_app.deals.matching.vocabulary import GROUP_WORDS, JAPANESE_COUNTRY_WORDS

SKELETON_MIN_LENGTH = 3

_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Group and country words written glued to the end of a Japanese name, longest first: the Japanese ones of
# vocabulary.JAPANESE_COUNTRY_WORDS and GROUP_WORDS, which the core drops once they stand apart.
_GLUED_SUFFIXES = tuple(
    sorted(
        JAPANESE_COUNTRY_WORDS | {word for word in GROUP_WORDS if _JAPANESE.search(word)},
        key=lambda word: (-len(word), word),
    )
)
_KANA_ONLY = re.compile(r"[\u30a0-\u30ff ]+")

_SINGLE = dict(
    zip(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
        "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョヮ",
        "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo "
        "ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo pa pi pu pe po "
        "vu a i u e o ya yu yo wa".split(),
        strict=True,
    )
)
# Two kana read as one sound: a consonant + small ya/yu/yo, and the loanword spellings (ティ, ファ, ウィ...).
_PAIRS = {
    "ティ": "ti", "ディ": "di", "トゥ": "tu", "ドゥ": "du", "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo",
    "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo", "シェ": "she",
    "ジェ": "je", "チェ": "che", "ツァ": "tsa",
}  # fmt: skip
for _kana, _sound in zip("キシチニヒミリギジビピ", "k sh ch n h m r g j b p".split(), strict=True):
    for _small, _vowel in zip("ャュョ", "auo", strict=True):
        _PAIRS[_kana + _small] = _sound + ("y" if _sound not in ("sh", "ch", "j") else "") + _vowel


def split_japanese_suffixes(name_norm: str) -> str:
    """`name_norm` with the group and country words glued to the end of a Japanese word set apart (see the module
    docstring); names without Japanese script come back unchanged."""
    if not _JAPANESE.search(name_norm):
        return name_norm
    words: list[str] = []
    for token in name_norm.split():
        tail: list[str] = []
        found = True
        while found:
            found = False
            for suffix in _GLUED_SUFFIXES:
                if len(token) > len(suffix) and token.endswith(suffix):
                    token, found = token[: -len(suffix)], True
                    tail.insert(0, suffix)
                    break
        words.extend([token, *tail])
    return " ".join(words)


@lru_cache(maxsize=4096)
def romaji(name: str) -> str:
    """The Hepburn reading of a name written only in kana (hiragana read as katakana), words joined; "" when
    it holds anything else (kanji have several readings each: no guess)."""
    kana = name.translate({c: c + 0x60 for c in range(0x3041, 0x3097)})  # hiragana -> katakana
    if not kana.strip() or not _KANA_ONLY.fullmatch(kana):
        return ""
    out: list[str] = []
    i, double = 0, False
    while i < len(kana):
        char = kana[i]
        if char == "ッ":  # a doubled consonant: the skeleton drops doubles, the reading keeps them
            double = True
            i += 1
            continue
        if char in "ー ・":  # a long vowel, a space
            i += 1
            continue
        sound = _PAIRS.get(kana[i : i + 2])
        i += 2 if sound else 1
        sound = sound or _SINGLE.get(char, "")
        if double and sound:
            sound, double = sound[0] + sound, False
        out.append(sound)
    return "".join(out)


_LATIN_SOUNDS = (("ph", "f"), ("th", "s"), ("ck", "k"), ("sh", "s"), ("ch", "s"), ("ts", "s"), ("x", "ks"))
_SOFT_C = re.compile(r"c(?=[eiy])")
_MERGED_SOUNDS = str.maketrans("cqlvzj", "kkrbss")


@lru_cache(maxsize=8192)
def consonants(reading: str) -> str:
    """The consonant skeleton of a Latin-script reading (see the module docstring): "brand" -> "brnd",
    "microsoft" -> "mkrsft", "maikurosofuto" -> "mkrsft". Non-letters are ignored."""
    text = re.sub(r"[^a-z]", "", reading.lower())
    for spelled, sound in _LATIN_SOUNDS:
        text = text.replace(spelled, sound)
    text = _SOFT_C.sub("s", text).translate(_MERGED_SOUNDS)
    skeleton = re.sub(r"[aeiouwyh]", "", text)
    return re.sub(r"(.)\1+", r"\1", skeleton)


def kana_skeleton(core: str) -> str:
    """The consonant skeleton of a company core written in kana ("ブランド" -> "brnd"), "" when it is not all kana
    or too short to say anything."""
    skeleton = consonants(romaji(core))
    return skeleton if len(skeleton) >= SKELETON_MIN_LENGTH else ""


def latin_skeleton(core: str) -> str:
    """The consonant skeleton of a company core written in Latin letters ("brand" -> "brnd"), "" for any other
    script or one too short to say anything."""
    if not core or not core.replace(" ", "").isascii() or not core.replace(" ", "").isalpha():
        return ""
    skeleton = consonants(core)
    return skeleton if len(skeleton) >= SKELETON_MIN_LENGTH else ""


def sound_reason(a_norm: str, b_norm: str) -> str:
    """Why two normalized names may be one company written in two scripts: one's core in kana, the other's in
    Latin letters, with the same consonant skeleton ("katakana name 'ブランド' reads 'burando': the consonants of
    'brand' (b-r-n-d)"); "" when they are not such a pair."""
    a_core, b_core = company_core(a_norm), company_core(b_norm)
    for kana, latin in ((a_core, b_core), (b_core, a_core)):
        if (skeleton := kana_skeleton(kana)) and skeleton == latin_skeleton(latin):
            return f"katakana name '{kana}' reads '{romaji(kana)}': the consonants of '{latin}' ({'-'.join(skeleton)})"
    return ""


def sound_keys(name_norm: str) -> tuple[str, str]:
    """(the key a record is filed under, the key a check searches) for its name's consonant skeleton: a kana name
    is filed under "k:<skeleton>" and searches the Latin names' "s:<skeleton>", a Latin name the other way round,
    so a check reads the other script's names that sound alike and never its own script's (those it finds by their
    spelling). ("", "") when the name's core has no skeleton."""
    core = company_core(name_norm)
    if skeleton := kana_skeleton(core):
        return f"k:{skeleton}"[:26], f"s:{skeleton}"[:26]
    if skeleton := latin_skeleton(core):
        return f"s:{skeleton}"[:26], f"k:{skeleton}"[:26]
    return "", ""
