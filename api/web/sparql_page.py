"""The SPARQL page: Yasgui (an editor with result tables, from npm, served from vendor/ like
GraphiQL) over the API's own `/sparql`, with example queries for the questions researchers and
liaison officers ask first."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from starlette.requests import Request
from starlette.responses import Response

from api.web.render import page
from api.web.session import signed_in
from ontology.namespaces import PREFIXES


@dataclass(frozen=True)
class Example:
    zh: str
    en: str
    query: str


def _prefixed(body: str, *names: str) -> str:
    lines = [f"PREFIX {name}: <{PREFIXES[name]}>" for name in names]
    return "\n".join(lines) + "\n" + body.strip() + "\n"


EXAMPLES = (
    Example(
        "各委员会的联络关系（类别、对方）",
        "Every liaison: holder, counterpart and category",
        _prefixed(
            """
SELECT ?holder ?holderLabel ?partnerLabel ?category WHERE {
  ?liaison a mskg:Liaison ; mskg:liaisonOf ?holder ; mskg:liaisonWith ?partner .
  OPTIONAL { ?liaison mskg:liaisonCategory ?c BIND(STRAFTER(STR(?c), "LiaisonCategory-") AS ?category) }
  ?holder skos:prefLabel ?holderLabel FILTER(lang(?holderLabel) = "zh")
  ?partner skos:prefLabel ?partnerLabel FILTER(lang(?partnerLabel) = "zh")
} ORDER BY ?holder ?partnerLabel""",
            "mskg",
            "skos",
        ),
    ),
    Example(
        "待答复的联络函及截止日期",
        "Liaison statements awaiting a reply, with their deadlines",
        _prefixed(
            """
SELECT ?statement ?label ?deadline WHERE {
  ?statement a mskg:LiaisonStatement ; mskg:replyStatus mskg:ReplyStatus-AWAITING ;
             dcterms:title ?label FILTER(lang(?label) = "en")
  OPTIONAL { ?statement mskg:deadline ?deadline }
} ORDER BY ?deadline""",
            "mskg",
            "dcterms",
        ),
    ),
    Example(
        "ISO/IEC JTC 1 及其分委员会的国内对口单位",
        "The domestic counterparts of ISO/IEC JTC 1 and its subcommittees",
        _prefixed(
            """
SELECT ?domestic ?domesticLabel ?international WHERE {
  ?domestic mskg:domesticCounterpartOf ?international ;
            skos:prefLabel ?domesticLabel FILTER(lang(?domesticLabel) = "zh")
  ?international org:subOrganizationOf* <https://w3id.org/mskg/id/committee/iso-iec-jtc1> .
} ORDER BY ?domestic""",
            "mskg",
            "skos",
            "org",
        ),
    ),
    Example(
        "每个主题概念下的条目数",
        "How many entities are about each concept",
        _prefixed(
            """
SELECT ?concept ?label (COUNT(?thing) AS ?n) WHERE {
  ?thing dcterms:subject ?concept .
  ?concept a skos:Concept ; skos:prefLabel ?label FILTER(lang(?label) = "en")
} GROUP BY ?concept ?label ORDER BY DESC(?n) LIMIT 20""",
            "skos",
            "dcterms",
        ),
    ),
)


async def sparql_page(request: Request) -> Response:
    account = await signed_in(request)
    return page(
        request,
        "sparql.html",
        account,
        examples=[asdict(example) for example in EXAMPLES],
    )
