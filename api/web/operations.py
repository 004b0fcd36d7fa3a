"""The GraphQL operations behind the pages. The entity page's selection is derived from the
ontology, so a new class or property shows up without touching this file."""

from __future__ import annotations

from functools import cache

from api.web import standard_view
from ontology import ONTOLOGY
from ontology.model import ClassDef, Datatype, PropertyDef

# Common properties the page shows in its own places rather than in the property table.
HEADER_PROPERTIES = ("key", "sources")


def selection(prop: PropertyDef) -> str:
    return f"{prop.name} {{ zh en }}" if prop.datatype is Datatype.TEXT else prop.name


def shown_properties(cls: ClassDef) -> tuple[PropertyDef, ...]:
    return tuple(p for p in ONTOLOGY.class_properties(cls) if p.name not in HEADER_PROPERTIES)


@cache
def property_selection() -> str:
    """Every declared property: the common ones, then each class's in an inline fragment."""
    common = " ".join(selection(p) for p in ONTOLOGY.common if p.name not in HEADER_PROPERTIES)
    fragments = " ".join(
        f"... on {cls.name} {{ {' '.join(selection(p) for p in cls.properties)} }}"
        for cls in ONTOLOGY.classes
        if cls.properties
    )
    return f"{common} {fragments}"


# The entity page's history: the latest revisions, each with its first changes (a catalogue
# batch adds a thousand editions to a committee in one revision).
HISTORY_REVISIONS = 5
HISTORY_ALL = 100
HISTORY_CHANGES = 20


@cache
def entity_query() -> str:
    return f"""
query EntityPage($key: String!, $lang: Lang!, $revisions: Int!) {{
  entity(key: $key) {{
    __typename key iri version label(lang: $lang) {property_selection()}
    createdAt createdBy updatedAt updatedBy {standard_view.SELECTION}
    sources {{ key label(lang: $lang) url citation }}
  }}
  neighborhood(key: $key, depth: 1) {{
    truncated
    nodes {{ __typename key label(lang: $lang) }}
    edges {{ type fromKey toKey properties {{ name value }} }}
  }}
  history(key: $key, first: $revisions, changesPerRevision: {HISTORY_CHANGES}) {{
    id seq at actor approvedBy comment sources reverts proposal changeCount
    changes {{ kind op entityType key relationshipType fromKey toKey before after version }}
  }}
}}"""


SEARCH_PAGE = 50
SEARCH = """
query Search($text: String!, $types: [EntityType!], $lang: Lang, $label: Lang!, $offset: Int!) {
  hits: search(text: $text, types: $types, lang: $lang, first: 50, offset: $offset) {
    score field matchedText entity { __typename key label(lang: $label) }
  }
  counts: searchCounts(text: $text, lang: $lang) { total capped byType { type count } }
}"""

LIAISON_BODIES = """
query Bodies($lang: Lang!) {
  liaisons(first: 100) {
    nodes { holder { __typename key label(lang: $lang) } partner { __typename key label(lang: $lang) } }
  }
  liaisonStatements(first: 100) {
    nodes { from { __typename key label(lang: $lang) } to { __typename key label(lang: $lang) } }
  }
}"""

_LIAISON = """
  key label(lang: $lang) category liaisonStatus since nextDeadline statementCount
  holder { key label(lang: $lang) }
  partner { key label(lang: $lang) }
  contactsEdges { side node { key label(lang: $lang) email phone } }
  lastExchange { key label(lang: $lang) issued }
"""
_STATEMENT = """
  key label(lang: $lang) identifiers issued deadline overdue replyStatus state purpose
  from { key label(lang: $lang) } to { key label(lang: $lang) }
"""

LIAISON_DASHBOARD = f"""
query Dashboard($key: String!, $lang: Lang!) {{
  body: entity(key: $key) {{
    __typename key label(lang: $lang)
    ... on Committee {{
      designation
      liaisons {{ {_LIAISON} }}
      liaisonsAsPartner {{ {_LIAISON} }}
    }}
    ... on Organization {{
      liaisons {{ {_LIAISON} }}
      liaisonsAsPartner {{ {_LIAISON} }}
    }}
  }}
  within: liaisonsWithin(committee: $key) {{ {_LIAISON} }}
  inbox(committee: $key) {{ {_STATEMENT} }}
  outbox(committee: $key) {{ {_STATEMENT} }}
  awaitingAction(committee: $key) {{ {_STATEMENT} }}
}}"""

EXCHANGES = f"""
query Exchanges($a: String!, $b: String!, $lang: Lang!) {{
  exchanges(a: $a, b: $b) {{ {_STATEMENT} }}
  partner: entity(key: $b) {{ key label(lang: $lang) }}
}}"""

_SIDE = """__typename key label(lang: $lang)
  ... on Standard { designation stageCode nativeStage }
  ... on WorkItem { designation stageCode nativeStage }"""
_NARROWING = "concept: $concept, committee: $committee, ics: $ics, stage: $stage"
_NARROWING_VARS = "$concept: String, $committee: String, $ics: String, $stage: String"

ADOPTION_MAP = f"""
query AdoptionMap($lang: Lang!, {_NARROWING_VARS}, $first: Int!, $offset: Int!) {{
  adoptionMap({_NARROWING}, first: $first, offset: $offset) {{
    total rows {{ degree domestic {{ {_SIDE} }} international {{ {_SIDE} }} }}
  }}
}}"""

GAPS = f"""
query Gaps($lang: Lang!, $direction: GapDirection!, {_NARROWING_VARS}, $scope: GapScope!,
           $first: Int!, $after: String) {{
  gaps(direction: $direction, {_NARROWING}, scope: $scope, first: $first, after: $after) {{
    {_SIDE}
  }}
}}"""

# The mapping page: the first page of the map and of each gap list, in one operation.
MAPPING = f"""
query Mapping($lang: Lang!, {_NARROWING_VARS}, $scope: GapScope!, $first: Int!, $offset: Int!,
              $gapFirst: Int!, $intlAfter: String, $domesticAfter: String) {{
  map: adoptionMap({_NARROWING}, first: $first, offset: $offset) {{
    total rows {{ degree domestic {{ {_SIDE} }} international {{ {_SIDE} }} }}
  }}
  intl: gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, {_NARROWING}, scope: $scope,
             first: $gapFirst, after: $intlAfter) {{ {_SIDE} }}
  domestic: gaps(direction: DOMESTIC_WITHOUT_INTERNATIONAL, {_NARROWING}, scope: $scope,
                 first: $gapFirst, after: $domesticAfter) {{ {_SIDE} }}
  concepts(first: 100, orderBy: [{{ field: KEY }}], where: {{ conceptKind: {{ ne: CLASSIFICATION }} }}) {{
    nodes {{ key label(lang: $lang) }}
  }}
}}"""

PROPOSALS = """
query Proposals {
  proposals(status: "PENDING", first: 50) {
    id status author createdAt comment sources steps current
  }
}"""

APPROVE = """
mutation Approve($id: String!) {
  approveProposal(id: $id) { applied revision { seq } }
}"""

REJECT = """
mutation Reject($id: String!, $reason: String!) {
  rejectProposal(id: $id, reason: $reason) { id status }
}"""


def update_mutation(cls: ClassDef) -> str:
    return f"""
mutation Update($key: String!, $version: Int!, $patch: {cls.name}Patch!,
                $sources: [SourceRefInput!], $comment: String) {{
  result: update{cls.name}(key: $key, expectedVersion: $version, patch: $patch,
                           sources: $sources, comment: $comment) {{
    applied revision {{ seq }} proposal {{ id }}
  }}
}}"""


@cache
def entity_values_query() -> str:
    """The entity's editable values and version (what an edit form starts from)."""
    return f"""
query EditValues($key: String!, $lang: Lang!) {{
  entity(key: $key) {{ __typename key version label(lang: $lang) {property_selection()} }}
}}"""


HISTORY = """
query History($key: String!) {
  history(key: $key, first: 20) {
    id seq at actor comment
    changes { kind op entityType key relationshipType fromKey toKey before after version }
  }
}"""
