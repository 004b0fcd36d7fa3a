"""The operations measured side by side: each as an MSKG query, the peer's query for the same
result, and the best Cypher we can write by hand for the raw driver.

The four everyday operations of the issue come first, then the three user-group views of the
README. Where the peer's generated API cannot express a part (our computed fields, the gap
analysis, grouped counts, our `search`), the peer gets the closest thing a user of the library
would write — a `@cypher` field or its `@fulltext` query — and the operation's `peer_note` says
so; the table prints it.

Every target's answer is brought to MSKG's shape (bench/peer_compare.py) and checked equal
before anything is measured. Labels: MSKG's `label` falls back across languages; every entity
has zh and en labels (both are required), so the peer's `prefLabel_en` / `prefLabel_zh` are the
same values, and the check proves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.search import fulltext_query
from ontology.vocab import DOMESTIC_PROJECT_KINDS, DOMESTIC_STANDARD_KINDS

Variables = dict[str, Any]


@dataclass(frozen=True)
class Op:
    name: str
    mskg: str
    peer: str
    raw: str  # one statement returning one row whose columns are the answer's root fields
    pick: str  # Cypher returning rows of variables (the first few are used, in order)
    ordered: frozenset[str] = frozenset()  # paths of lists whose order is part of the answer
    single_roots: frozenset[str] = frozenset()  # peer lists that are MSKG's single lookups
    node_roots: frozenset[str] = frozenset()  # peer lists that are MSKG's connections' nodes
    peer_note: str = ""

    def for_peer(self, variables: Variables) -> Variables:
        out = dict(variables)
        if "text" in out:
            # Our search quotes every word (user text is never Lucene syntax) and boosts
            # designations; the peer passes its phrase to Lucene as it is, so it gets our query.
            out["text"] = fulltext_query(out["text"])
        return out

    def for_raw(self, variables: Variables) -> Variables:
        return {**self.for_peer(variables), **RAW_CONSTANTS}


RAW_CONSTANTS: Variables = {
    "domesticKinds": sorted(DOMESTIC_STANDARD_KINDS),
    "domesticProjects": sorted(DOMESTIC_PROJECT_KINDS),
}

# -- the hand-written statements the peer's @cypher root fields also run -----------------------
_DOMESTIC = (
    "(coalesce({v}.standardKind IN $domesticKinds, false) "
    "OR coalesce({v}.projectKind IN $domesticProjects, false))"
)
_DOM_N, _DOM_D, _DOM_I = (_DOMESTIC.format(v=v) for v in ("n", "d", "i"))

# Gaps: both directions, optionally within a concept and everything under it. The peer's
# @cypher fields return the nodes; the raw driver projects them in the same statement.
GAPS_INTERNATIONAL = f"""
MATCH (n:Standard|WorkItem) WHERE NOT {_DOM_N}
  AND NOT EXISTS {{ MATCH (n)<-[:ADOPTS]-(d) WHERE {_DOM_D} }}
  AND NOT EXISTS {{ MATCH (n)<-[:EDITION_OF]-()<-[:ADOPTS]-(d) WHERE {_DOM_D} }}
  AND ($concept IS NULL OR EXISTS {{ MATCH (n)-[:ABOUT]->(:Concept)-[:BROADER*0..6]->(:Concept {{key: $concept}}) }})
WITH n ORDER BY n.key LIMIT $first"""
GAPS_DOMESTIC = f"""
MATCH (n:Standard|WorkItem) WHERE {_DOM_N}
  AND NOT EXISTS {{ MATCH (n)-[:ADOPTS]->(i) WHERE NOT {_DOM_I} }}
WITH n ORDER BY n.key LIMIT $first"""
_TYPENAME = "head([l IN labels(n) WHERE l <> 'Resource'])"
GAPS_INTERNATIONAL_ITEMS = (
    GAPS_INTERNATIONAL + f" RETURN n {{ .key, label: n.prefLabel_en, __typename: {_TYPENAME}, "
    ".designation, .standardKind, .projectKind }"
)
GAPS_DOMESTIC_ITEMS = (
    GAPS_DOMESTIC + f" RETURN n {{ .key, label: n.prefLabel_zh, __typename: {_TYPENAME}, "
    "designation: CASE WHEN n:Standard THEN n.designation END, .standardKind }"
)
STANDARD_COUNTS = """
MATCH (n:Standard) OPTIONAL MATCH (n)-[:DEVELOPED_BY]->(d:Resource)
WITH [d.key, n.stageCode] AS vals, count(DISTINCT n) AS c ORDER BY c DESC, vals LIMIT 500
RETURN {count: c, values: [v IN vals | {value: v}]} AS item"""
COMMITTEE_COUNTS = """
MATCH (n:Committee)
WITH [n.committeeKind] AS vals, count(n) AS c ORDER BY c DESC, vals LIMIT 500
RETURN {count: c, values: [v IN vals | {value: v}]} AS item"""


def _literal(statement: str) -> str:
    """`statement` with the vocabulary constants written in (a @cypher field has no parameters
    but its arguments)."""
    for name, values in RAW_CONSTANTS.items():
        statement = statement.replace(f"${name}", "[" + ", ".join(f"'{v}'" for v in values) + "]")
    return statement


ROOT_STATEMENTS: dict[str, tuple[str, str, str]] = {
    # name: (arguments, GraphQL type, statement)
    "gapsInternationalWithoutDomestic": (
        "(concept: String, first: Int!)",
        "[StandardOrWorkItem!]!",
        _literal(GAPS_INTERNATIONAL + " RETURN n AS item"),
    ),
    "gapsDomesticWithoutInternational": (
        "(first: Int!)",
        "[StandardOrWorkItem!]!",
        _literal(GAPS_DOMESTIC + " RETURN n AS item"),
    ),
    "standardCountsByDeveloperAndStage": ("", "[CountGroup!]!", STANDARD_COUNTS),
    "committeeCountsByKind": ("", "[CountGroup!]!", COMMITTEE_COUNTS),
}

# -- the four operations of the issue ----------------------------------------------------------
COMMITTEE = Op(
    name="committee by key with parents, children, secretariat, liaisons+partner+contacts",
    mskg="""
query Committee($key: String!) {
  committee(key: $key) {
    key designation label(lang: ZH)
    parents { key label }
    children { key label }
    secretariat { key label }
    liaisons {
      key category liaisonStatus
      partner { key label }
      contactsEdges { side node { key label } }
    }
  }
}""",
    peer="""
query Committee($key: String!) {
  committee: committees(where: { key: { eq: $key } }) {
    key designation label: prefLabel_zh
    parents { key label: prefLabel_en }
    children { key label: prefLabel_en }
    secretariat { key label: prefLabel_en }
    liaisons {
      key category liaisonStatus
      partner { key label: prefLabel_en }
      contactsEdges: contactsConnection { edges { properties { side } node { key label: prefLabel_en } } }
    }
  }
}""",
    raw="""
MATCH (c:Committee {key: $key})
RETURN c { .key, .designation, label: c.prefLabel_zh,
  parents: [(c)-[:SUB_ORGANIZATION_OF]->(p) | p { .key, label: p.prefLabel_en }],
  children: [(c)<-[:SUB_ORGANIZATION_OF]-(p) | p { .key, label: p.prefLabel_en }],
  secretariat: [(c)-[:SECRETARIAT]->(p) | p { .key, label: p.prefLabel_en }],
  liaisons: [(c)<-[:LIAISON_OF]-(l:Liaison) | l { .key, .category, .liaisonStatus,
    partner: head([(l)-[:LIAISON_WITH]->(p) | p { .key, label: p.prefLabel_en }]),
    contactsEdges: [(l)-[r:CONTACT]->(p) | {side: r.side, node: p { .key, label: p.prefLabel_en }}]
  }]
} AS committee""",
    pick="""
MATCH (c:Committee)<-[:LIAISON_OF]-(:Liaison)
WITH c, count(*) AS n WHERE COUNT { (c)<-[:SUB_ORGANIZATION_OF]-() } < 100
RETURN c.key AS key ORDER BY n DESC, key LIMIT 5""",
    single_roots=frozenset({"committee"}),
)

STANDARDS_SORTED = Op(
    name="100 standards sorted by designation, with developedBy, publishers, adoptsEdges",
    mskg="""
query Standards {
  standards(orderBy: [{ field: DESIGNATION }], first: 100) {
    nodes {
      key designation label
      developedBy { key label }
      publishers { key label }
      adoptsEdges { degree node { key label } }
    }
  }
}""",
    peer="""
query Standards {
  standards(sort: [{ designation: ASC }, { key: ASC }], limit: 100) {
    key designation label: prefLabel_en
    developedBy { key label: prefLabel_en }
    publishers { key label: prefLabel_en }
    adoptsEdges: adoptsConnection { edges { properties { degree } node { key label: prefLabel_en } } }
  }
}""",
    raw="""
MATCH (n:Standard) WITH n ORDER BY n.designation, n.key LIMIT 100
RETURN {nodes: collect(n { .key, .designation, label: n.prefLabel_en,
  developedBy: [(n)-[:DEVELOPED_BY]->(p) | p { .key, label: p.prefLabel_en }],
  publishers: [(n)-[:PUBLISHED_BY]->(p) | p { .key, label: p.prefLabel_en }],
  adoptsEdges: [(n)-[r:ADOPTS]->(p) | {degree: r.degree, node: p { .key, label: p.prefLabel_en }}]
})} AS standards""",
    pick="RETURN 1 AS none",
    ordered=frozenset({"standards.nodes"}),
    node_roots=frozenset({"standards"}),
)

STANDARDS_FILTERED = Op(
    name="standards where standardKind = X and developedBy some key = Y",
    mskg="""
query Filtered($kind: StandardKind!, $body: String!) {
  standards(where: { standardKind: { eq: $kind }, developedBy: { some: { key: { eq: $body } } } }, first: 100) {
    nodes { key designation label }
  }
}""",
    peer="""
query Filtered($kind: StandardKind!, $body: String!) {
  standards(where: { standardKind: { eq: $kind }, developedBy: { some: { key: { eq: $body } } } },
            sort: [{ key: ASC }], limit: 100) {
    key designation label: prefLabel_en
  }
}""",
    raw="""
MATCH (:Resource {key: $body})<-[:DEVELOPED_BY]-(n:Standard {standardKind: $kind})
WITH DISTINCT n ORDER BY n.key LIMIT 100
RETURN {nodes: collect(n { .key, .designation, label: n.prefLabel_en })} AS standards""",
    pick="""
MATCH (n:Standard)-[:DEVELOPED_BY]->(b:Resource)
WITH n.standardKind AS kind, b.key AS body, count(*) AS c WHERE kind IS NOT NULL
RETURN kind, body ORDER BY c DESC, kind, body LIMIT 5""",
    ordered=frozenset({"standards.nodes"}),
    node_roots=frozenset({"standards"}),
)

SEARCH = Op(
    name="search(types: [Committee], first: 20)",
    mskg="""
query Search($text: String!) {
  search(text: $text, types: [Committee], first: 20) { score node: entity { key label } }
}""",
    peer="""
query Search($text: String!) {
  search: committeeSearch(phrase: $text, first: 20, sort: [{ score: DESC }, { node: { key: ASC } }]) {
    edges { score node { key label: prefLabel_en } }
  }
}""",
    raw="""
CALL db.index.fulltext.queryNodes('resource_labels', $text) YIELD node, score
WHERE node:Committee
WITH node, score ORDER BY score DESC, node.key LIMIT 20
RETURN collect({score: score, node: node { .key, label: node.prefLabel_en }}) AS search""",
    pick="UNWIND ['区块链', '元宇宙', 'blockchain', 'metaverse', 'WG 15'] AS text RETURN text",
    ordered=frozenset({"search"}),
    peer_note="peer: its @fulltext query on the same index (our search also works across classes)",
)

# -- the README's user-group views -----------------------------------------------------------------
LIAISON_OFFICER = Op(
    name="liaison officer: a committee's liaisons, last/next exchange, statements awaiting reply",
    mskg="""
query LiaisonOfficer($key: String!) {
  committee(key: $key) {
    key label(lang: ZH)
    secretariat { key label(lang: ZH) }
    liaisons {
      key category liaisonStatus since
      partner { key label(lang: ZH) ... on Committee { designation } }
      contactsEdges { side node { key label } }
      lastExchange { key label issued }
      nextDeadline
      statementCount
    }
  }
  awaitingReply: liaisonStatements(where: { replyStatus: { eq: AWAITING } }, orderBy: [{ field: DEADLINE }], first: 20) {
    totalCount
    nodes { key label deadline from { key } to { key } }
  }
}""",
    peer="""
query LiaisonOfficer($key: String!) {
  committee: committees(where: { key: { eq: $key } }) {
    key label: prefLabel_zh
    secretariat { key label: prefLabel_zh }
    liaisons {
      key category liaisonStatus since
      partner { key label: prefLabel_zh ... on Committee { designation } }
      contactsEdges: contactsConnection { edges { properties { side } node { key label: prefLabel_en } } }
      lastExchange { key label: prefLabel_en issued }
      nextDeadline
      statementCount
    }
  }
  awaitingReply_total: liaisonStatementsConnection(where: { replyStatus: { eq: AWAITING } }) { totalCount }
  awaitingReply: liaisonStatements(where: { replyStatus: { eq: AWAITING } }, sort: [{ deadline: ASC }, { key: ASC }], limit: 20) {
    key label: prefLabel_en deadline from { key } to { key }
  }
}""",
    raw="""
CALL () {
  MATCH (c:Committee {key: $key})
  RETURN c { .key, label: c.prefLabel_zh,
    secretariat: [(c)-[:SECRETARIAT]->(p) | p { .key, label: p.prefLabel_zh }],
    liaisons: [(c)<-[:LIAISON_OF]-(l:Liaison) | l { .key, .category, .liaisonStatus, .since,
      partner: head([(l)-[:LIAISON_WITH]->(p) | p { .key, label: p.prefLabel_zh, designation: CASE WHEN p:Committee THEN p.designation END }]),
      contactsEdges: [(l)-[r:CONTACT]->(p) | {side: r.side, node: p { .key, label: p.prefLabel_en }}],
      lastExchange: head(COLLECT { MATCH (l)<-[:STATEMENT_OF]-(s:LiaisonStatement) WHERE s.issued IS NOT NULL
                                   WITH s ORDER BY s.issued DESC, s.key LIMIT 1 RETURN s { .key, label: s.prefLabel_en, .issued } }),
      nextDeadline: head(COLLECT { MATCH (l)<-[:STATEMENT_OF]-(s:LiaisonStatement) WHERE s.replyStatus = 'AWAITING' AND s.deadline IS NOT NULL
                                   RETURN s.deadline AS d ORDER BY d LIMIT 1 }),
      statementCount: COUNT { (l)<-[:STATEMENT_OF]-(:LiaisonStatement) }
    }]
  } AS committee
}
CALL () {
  MATCH (s:LiaisonStatement {replyStatus: 'AWAITING'})
  WITH s ORDER BY s.deadline, s.key LIMIT 20
  RETURN collect(s { .key, label: s.prefLabel_en, .deadline,
    from: [(s)-[:SENT_BY]->(b) | b { .key }], to: [(s)-[:SENT_TO]->(b) | b { .key }] }) AS nodes
}
CALL () { MATCH (s:LiaisonStatement {replyStatus: 'AWAITING'}) RETURN count(s) AS total }
RETURN committee, {totalCount: total, nodes: nodes} AS awaitingReply""",
    pick=COMMITTEE.pick,
    ordered=frozenset({"awaitingReply.nodes"}),
    single_roots=frozenset({"committee"}),
    node_roots=frozenset({"awaitingReply"}),
    peer_note="peer: lastExchange, nextDeadline and statementCount as @cypher fields; the count "
    "of statements awaiting a reply from a second root field, since the library's "
    "`liaisonStatementsConnection` returns no edges here (its type name collides with "
    "`Liaison.statementsConnection`'s)",
)

DELEGATE = Op(
    name="international delegate: adoption mapping and the gap analysis both ways",
    mskg="""
query Delegate($concept: String) {
  mapping: standards(where: { adopts: { exists: true } }, first: 50) {
    nodes {
      key designation stageCode label(lang: ZH)
      adoptsEdges { degree node { key ... on Standard { designation stageCode standardKind } } }
    }
  }
  internationalWithoutDomestic: gaps(direction: INTERNATIONAL_WITHOUT_DOMESTIC, concept: $concept, first: 50) {
    __typename key label
    ... on Standard { designation standardKind }
    ... on WorkItem { designation projectKind }
  }
  domesticWithoutInternational: gaps(direction: DOMESTIC_WITHOUT_INTERNATIONAL, first: 50) {
    __typename key label(lang: ZH)
    ... on Standard { designation standardKind }
  }
}""",
    peer="""
query Delegate($concept: String) {
  mapping: standards(where: { adoptsConnection: { some: {} } }, sort: [{ key: ASC }], limit: 50) {
    key designation stageCode label: prefLabel_zh
    adoptsEdges: adoptsConnection { edges { properties { degree } node { key ... on Standard { designation stageCode standardKind } } } }
  }
  internationalWithoutDomestic: gapsInternationalWithoutDomestic(concept: $concept, first: 50) {
    __typename key label: prefLabel_en
    ... on Standard { designation standardKind }
    ... on WorkItem { designation projectKind }
  }
  domesticWithoutInternational: gapsDomesticWithoutInternational(first: 50) {
    __typename key label: prefLabel_zh
    ... on Standard { designation standardKind }
  }
}""",
    raw=f"""
CALL () {{
  MATCH (n:Standard) WHERE EXISTS {{ (n)-[:ADOPTS]->() }}
  WITH n ORDER BY n.key LIMIT 50
  RETURN collect(n {{ .key, .designation, .stageCode, label: n.prefLabel_zh,
    adoptsEdges: [(n)-[r:ADOPTS]->(p) | {{degree: r.degree, node: p {{ .key,
      designation: CASE WHEN p:Standard THEN p.designation END,
      stageCode: CASE WHEN p:Standard THEN p.stageCode END,
      standardKind: CASE WHEN p:Standard THEN p.standardKind END }}}}]
  }}) AS mapping
}}
RETURN {{nodes: mapping}} AS mapping,
  COLLECT {{ {GAPS_INTERNATIONAL_ITEMS} }} AS internationalWithoutDomestic,
  COLLECT {{ {GAPS_DOMESTIC_ITEMS} }} AS domesticWithoutInternational""".replace("$first", "50"),
    pick="""
MATCH (c:Concept) WHERE COUNT { (c)<-[:ABOUT]-(:Standard) } > 0
RETURN c.key AS concept ORDER BY COUNT { (c)<-[:ABOUT]-() } DESC, concept LIMIT 3""",
    ordered=frozenset(
        {"mapping.nodes", "internationalWithoutDomestic", "domesticWithoutInternational"}
    ),
    node_roots=frozenset({"mapping"}),
    peer_note="peer: the gap analysis as @cypher root fields (the raw driver's statements)",
)

RESEARCHER = Op(
    name="researcher: concept scheme tree, what is about a concept, grouped counts",
    mskg="""
query Researcher($scheme: String!, $concept: String!) {
  conceptScheme(key: $scheme) {
    key label(lang: ZH)
    topConcepts { key label(lang: ZH) narrower { key label(lang: ZH) } }
  }
  concept(key: $concept) { key label subjectOf { __typename key label } }
  standardsPerCommitteeAndStage: standardCounts(groupBy: [DEVELOPED_BY, STAGE_CODE]) { count values { value } }
  committeesPerKind: committeeCounts(groupBy: [COMMITTEE_KIND]) { count values { value } }
}""",
    peer="""
query Researcher($scheme: String!, $concept: String!) {
  conceptScheme: conceptSchemes(where: { key: { eq: $scheme } }) {
    key label: prefLabel_zh
    topConcepts { key label: prefLabel_zh narrower { key label: prefLabel_zh } }
  }
  concept: concepts(where: { key: { eq: $concept } }) {
    key label: prefLabel_en
    subjectOf(sort: [{ key: ASC }], limit: 100) { __typename key label: prefLabel_en }
  }
  standardsPerCommitteeAndStage: standardCountsByDeveloperAndStage { count values { value } }
  committeesPerKind: committeeCountsByKind { count values { value } }
}""",
    raw=f"""
CALL () {{
  MATCH (s:ConceptScheme {{key: $scheme}})
  RETURN s {{ .key, label: s.prefLabel_zh,
    topConcepts: [(s)<-[:TOP_CONCEPT_OF]-(t:Concept) | t {{ .key, label: t.prefLabel_zh,
      narrower: [(t)<-[:BROADER]-(n:Concept) | n {{ .key, label: n.prefLabel_zh }}] }}] }} AS conceptScheme
}}
CALL () {{
  MATCH (c:Concept {{key: $concept}})
  RETURN c {{ .key, label: c.prefLabel_en,
    subjectOf: COLLECT {{ MATCH (c)<-[:ABOUT]-(x) WITH x ORDER BY x.key LIMIT 100
      RETURN x {{ .key, label: x.prefLabel_en, __typename: head([l IN labels(x) WHERE l <> 'Resource']) }} }} }} AS concept
}}
RETURN conceptScheme, concept,
  COLLECT {{ {STANDARD_COUNTS} }} AS standardsPerCommitteeAndStage,
  COLLECT {{ {COMMITTEE_COUNTS} }} AS committeesPerKind""",
    pick="""
MATCH (s:ConceptScheme)<-[:TOP_CONCEPT_OF]-(t:Concept)
WITH s, count(t) AS n ORDER BY n DESC, s.key LIMIT 1
MATCH (c:Concept)<-[:ABOUT]-()
WITH s, c, count(*) AS m ORDER BY m DESC, c.key LIMIT 3
RETURN s.key AS scheme, c.key AS concept""",
    ordered=frozenset({"concept.subjectOf", "standardsPerCommitteeAndStage", "committeesPerKind"}),
    single_roots=frozenset({"conceptScheme", "concept"}),
    peer_note="peer: the grouped counts as @cypher root fields (the raw driver's statements)",
)

OPERATIONS: tuple[Op, ...] = (
    COMMITTEE,
    STANDARDS_SORTED,
    STANDARDS_FILTERED,
    SEARCH,
    LIAISON_OFFICER,
    DELEGATE,
    RESEARCHER,
)
