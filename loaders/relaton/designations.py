"""What a designation as published says: the work and series above an edition, what a
supplement amends, a committee's parent — and the normal form used to match designations.

The rules are the publishers' numbering conventions, written out so they can be reviewed:

- ISO/IEC: ``ISO/IEC 23005-1:2020`` is an edition of the work ``ISO/IEC 23005-1``, part 1 of
  the series ``ISO/IEC 23005``; ``…:2013/Amd 1:2014`` and ``…/Cor 1`` amend or correct the
  edition before the slash; ``ISO/IEC DIS 23090-14`` is a draft of ``ISO/IEC 23090-14``.
- ITU: ``ITU-T H.872 (10/2024)`` and ``ITU-T H.870 v2 (03/2022)`` are editions of
  ``ITU-T H.872``/``H.870``; ``(1995) Amd. 3`` and ``Cor. 1``/``Err. 1`` amend or correct the
  Recommendation; ``ITU-R BT.2140-14`` is revision 14 of ``ITU-R BT.2140``.
- IEEE: ``IEEE 2888.1-2023`` is an edition of ``IEEE 2888.1``, in the family ``IEEE 2888``;
  ``IEEE P2888.1/D-02-…`` is a draft of it; ``… Redline`` is a companion of the edition.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
MARKS = dict.fromkeys(map(ord, "™®"), None)


def normalise(designation: str) -> str:
    """The form two spellings of one designation share: case, spacing and dash variants
    ignored (``ISO/IEC 23005-1:2020`` = ``ISO/IEC  23005‐1:2020``)."""
    text = unicodedata.normalize("NFKC", designation).translate(DASHES).translate(MARKS)
    return re.sub(r"\s+", "", text).upper()


def normalise_committee(designation: str) -> str:
    """Like `normalise`, and ``IEC/TC 83`` = ``IEC TC 83``, ``ITU-T Study Group 21`` =
    ``ITU-T SG21``."""
    text = normalise(designation).replace("STUDYGROUP", "SG")
    return text.replace("/", "")


def slug(designation: str) -> str:
    """A key-safe spelling: ``ISO/IEC 23005-1:2020`` → ``iso-iec-23005-1-2020``."""
    text = unicodedata.normalize("NFKD", designation.translate(DASHES).translate(MARKS))
    text = text.encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9.]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-.")
    if not text or not text[0].isalnum():
        text = "x" + hashlib.sha1(designation.encode()).hexdigest()[:10]  # noqa: S324 -- a name, not security
    return text


def committee_slug(designation: str) -> str:
    """``ISO/IEC JTC 1/SC 29`` → ``iso-iec-jtc1-sc29`` (the seed's spelling)."""
    text = designation.replace("Study Group ", "SG")
    return slug(re.sub(r"([A-Za-z])\s+(\d)", r"\1\2", text))


# -- editions, works, series ----------------------------------------------------------------------
@dataclass(frozen=True)
class Structure:
    level: str  # StandardLevel: EDITION, DRAFT, AMENDMENT, CORRIGENDUM, SUPPLEMENT
    work: str | None = None  # the work this edition or draft belongs to
    series: str | None = None  # the series that work is part of
    base: str | None = None  # what a supplement amends or corrects (edition, else work)


DRAFT_WORDS = r"PWI|NP|AWI|WD|CD|DIS|FDIS|PRF|DTR|DTS|DPAS|FDTR|FDTS|PDTR|PDTS|CDV"
_ISO_SUPPLEMENT = re.compile(
    r"^(?P<base>.+?)/(?P<sup>(?:(?:" + DRAFT_WORDS + r")\s*)?"
    r"(?:D|FD|PD)?(?:Amd|AMD|AM|Cor|COR|Add|ADD|Suppl)(?![a-z]).*)$"
)
_ISO_MAIN = re.compile(
    r"^(?P<pub>[A-Z][A-Za-z]*(?:/[A-Z][A-Za-z]*)*?)"
    r"(?:/(?P<draftpub>" + DRAFT_WORDS + r"))?\s+"
    r"(?:(?P<draft>" + DRAFT_WORDS + r")\s+)?"
    r"(?P<kind>(?:TR|TS|PAS|Guide|GUIDE|ISP|TTA|SRD)\s+)?"
    r"(?P<num>\d+(?:-\d+)*)(?::(?P<year>\d{4}))?"
)
_ITU = re.compile(r"^(?P<pub>ITU-[TR])\s+(?P<rest>.+)$")
_ITU_SUPPLEMENT = re.compile(
    r"^(?P<work>.+?)\s*(?:v\d+\s*)?(?:\(\d{4}\))?\s*(?P<kind>Amd\.|Cor\.|Err\.|Technical Cor\.|Corr\.)"
)
_IEEE_DRAFT = re.compile(r"^(?P<pub>.*?)\s*(?:CD\s+|DIS\s+)?P(?P<num>[\dA-Z][\w.]*)\S*?/D", re.I)
_YEAR_SUFFIX = re.compile(r"^(?P<work>.+?)-(?P<year>(?:19|20)\d{2})(?:-\d{2}){0,2}$")


def structure(designation: str, catalogue: str) -> Structure:
    """The level of a document and the work, series or base it belongs to, from its
    designation alone (None where the designation does not show it)."""
    if catalogue == "itu":
        return _itu(designation)
    if catalogue == "ieee":
        return _ieee(designation)
    return _iso(designation)


def _iso(designation: str) -> Structure:
    sup = _ISO_SUPPLEMENT.match(designation)
    if sup:
        kind = "CORRIGENDUM" if re.search(r"cor", sup["sup"], re.I) else "AMENDMENT"
        return Structure(kind, base=sup["base"])
    main = _ISO_MAIN.match(designation)
    if not main:
        return Structure("EDITION")
    kind = main["kind"] or ""
    work = f"{main['pub']} {kind}{main['num']}"
    series = f"{main['pub']} {kind}{main['num'].split('-')[0]}" if "-" in main["num"] else None
    draft = bool(main["draft"] or main["draftpub"])
    if not draft and normalise(work) == normalise(designation):
        return Structure("EDITION", series=series)  # undated: the record is the work itself
    return Structure("DRAFT" if draft else "EDITION", work=work, series=series)


def _itu(designation: str) -> Structure:
    match = _ITU.match(designation)
    if not match:
        return Structure("EDITION")
    pub, rest = match["pub"], match["rest"]
    sup = _ITU_SUPPLEMENT.match(rest)
    if sup:
        kind = "AMENDMENT" if sup["kind"] == "Amd." else "CORRIGENDUM"
        return Structure(kind, base=f"{pub} {sup['work'].strip()}")
    number = re.split(r"\s+(?:v\d+|\()", rest, maxsplit=1)[0].strip()
    if pub == "ITU-R":
        number = re.sub(r"-\d+$", "", number)
    work = f"{pub} {number}"
    level = "SUPPLEMENT" if "Suppl." in number else "EDITION"
    if normalise(work) == normalise(designation):
        return Structure(level)
    return Structure(level, work=work)


def _ieee(designation: str) -> Structure:
    draft = _IEEE_DRAFT.match(designation)
    if draft:
        pub = re.sub(r"\s+(CD|DIS)$", "", draft["pub"].strip()) or "IEEE"
        work = f"{pub} {draft['num']}"
        return Structure("DRAFT", work=work, series=_ieee_family(work))
    if designation.lower().endswith(" redline"):
        return Structure("SUPPLEMENT", base=designation[: -len(" redline")].strip())
    dated = _YEAR_SUFFIX.match(designation)
    if not dated:
        return Structure("EDITION", series=_ieee_family(designation))
    work = dated["work"].strip()
    return Structure("EDITION", work=work, series=_ieee_family(work))


def _ieee_family(work: str) -> str | None:
    match = re.match(r"^(IEEE \d+)\.\d", work)
    return match[1] if match else None


def related_designation(target: str, own: str, catalogue: str) -> str:
    """A relation target as a full designation: ITU records cite ``H.100 (11/1988)`` without
    the sector, which is the citing record's own."""
    if catalogue == "itu" and not target.startswith("ITU-"):
        sector = own.split(" ", 1)[0] if own.startswith("ITU-") else "ITU-T"
        return f"{sector} {target}"
    return target


# -- committees ---------------------------------------------------------------------------------
_COMMITTEE_TOKEN = re.compile(r"\b(JTC|TC|SC|PC|WG|AG|SG|SyC|TA|JWG|Study Group)\s*\w+", re.I)
_KINDS = {
    "JTC": "JTC",
    "TC": "TC",
    "SC": "SC",
    "WG": "WG",
    "JWG": "WG",
    "AG": "AG",
    "SG": "STUDY_GROUP",
    "STUDY GROUP": "STUDY_GROUP",
    "TA": "TECHNICAL_AREA",
}


def committee_designation(name: str, catalogue: str, body: str | None) -> str:
    """A committee as a full designation: IEC records write ``TC 86/SC 86B`` for
    ``IEC TC 86/SC 86B``; a v1.5 subdivision may omit its body."""
    name = " ".join(name.split())
    if catalogue == "iec" and not re.match(r"^(ISO|IEC|CISPR)\b", name):
        return f"IEC {name}"
    if catalogue == "iso" and re.match(r"^(TC|PC|JTC)\b", name):
        return f"ISO/{name}"
    if body and catalogue == "itu" and not name.startswith(body):
        return f"{body} {name}"
    return name


def committee_parent(designation: str, catalogue: str) -> str | None:
    """The committee above: ``ISO/IEC JTC 1/SC 29`` → ``ISO/IEC JTC 1``; None at the top."""
    if catalogue == "ieee" or "/" not in designation:
        return None
    parent = designation.rsplit("/", 1)[0]
    return parent if _COMMITTEE_TOKEN.search(parent) else None


def committee_kind(designation: str, catalogue: str) -> str:
    if catalogue == "ieee":
        return "STANDARDS_COMMITTEE"
    tokens = _COMMITTEE_TOKEN.findall(designation.rsplit("/", 1)[-1]) or _COMMITTEE_TOKEN.findall(
        designation
    )
    return _KINDS.get(tokens[-1].upper(), "OTHER") if tokens else "OTHER"


def committee_organizations(designation: str, catalogue: str) -> tuple[str, ...]:
    """Keys of the organizations a top-level committee belongs to."""
    if catalogue == "ieee":
        return ("ieee-sa",)
    if designation.startswith("ITU-T"):
        return ("itu-t",)
    if designation.startswith("ITU"):
        return ("itu",)
    if designation.startswith("ISO/IEC"):
        return ("iso", "iec")
    if designation.startswith(("IEC", "CISPR")):
        return ("iec",)
    return ("iso",)
