"""RDF import: files that follow the ontology, in any syntax, upserted by key.

The data is validated against the SHACL shapes first — a violation rejects the whole file with
its report and nothing is written — then mapped back through the ontology's declared terms:
classes by their RDF class, properties and relationships by their predicates, relationship
properties from reified statements. Unknown classes and predicates are reported, never dropped.

A node is read as the class whose own RDF class (`mskg:Committee`) it has; data typed only with
the standard class an MSKG class specialises (`org:OrganizationalUnit`, as exports before the
own classes were) is read as that class.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graph.changes import loads
from graph.driver import AsyncDriver
from graph.entities import classes_of
from graph.errors import IntegrityError
from graph.restore import RestoreCounts, restore
from graph.upserts import UpsertReport, upsert_graph
from loaders.errors import LoaderError, Problem
from loaders.imports import file_source
from loaders.validation import (
    EntityRecord,
    Located,
    RelationRecord,
    check_references,
    validate_entity,
    validate_relation,
)
from ontology import ONTOLOGY
from ontology.iris import parse_entity_iri
from ontology.model import ClassDef, Datatype, PropertyDef, RelationDef
from ontology.namespaces import expand
from ontology.provenance import (
    AGENT_CLASS,
    CHANGED,
    RECORD_META,
    REVISION_CLASS,
    REVISION_TERMS,
    STATEMENT_EVENT_CLASS,
    MetaTerm,
    parse_revision_iri,
    read_term,
)
from ontology.rdf_mapping import (
    KEY,
    class_iri,
    contact_value,
    enum_value_iri,
    property_predicate,
    statement_class_iri,
)
from ontology.shacl import validate

SYNTAXES = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}
_RECORD_META = {t.iri: t for t in RECORD_META}
_REVISION_TERMS = {t.iri: t for t in REVISION_TERMS}
# Typed nodes that are not entities: people and tools (named in bookkeeping), revisions, and
# liaison-statement events (derived from revisions, so an import recomputes rather than reads them).
_NOT_ENTITIES = {AGENT_CLASS, REVISION_CLASS, STATEMENT_EVENT_CLASS}


LinkKey = tuple[str, str, str]  # type, start key, end key


@dataclass
class RdfData:
    entities: list[EntityRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Bookkeeping (version, created/modified, by whom) as the file states it.
    entity_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    relation_meta: dict[LinkKey, dict[str, Any]] = field(default_factory=dict)
    revisions: list[dict[str, Any]] = field(default_factory=list)  # stored form


def _read_meta(
    terms: dict[URIRef, MetaTerm],
    predicate: Node,
    obj: Node,
    base: str,
    into: dict[str, Any],
    where: str,
    problems: list[Problem],
    name: str,
) -> bool:
    """Read a bookkeeping triple into `into`; False when the predicate is not one."""
    term = terms.get(predicate)  # type: ignore[call-overload]
    if term is None:
        return False
    try:
        value = read_term(base, term, obj)
    except (KeyError, ValueError) as exc:
        problems.append(Problem(name, 0, f"{where}: {exc.args[0]}"))
        return True
    if term.many:
        into.setdefault(term.name, []).append(value)
    elif term.name in into and into[term.name] != value:
        problems.append(Problem(name, 0, f"{where}: more than one {term.predicate}"))
    else:
        into[term.name] = value
    return True


def _read_revision(
    graph: Graph, subject: Node, base: str, name: str, problems: list[Problem]
) -> dict[str, Any] | None:
    """A `mskg:Revision` back to the stored form (sources as keys, JSON checked)."""
    try:
        revision: dict[str, Any] = {"id": parse_revision_iri(base, str(subject))}
    except KeyError as exc:
        problems.append(Problem(name, 0, str(exc.args[0])))
        return None
    before = len(problems)
    for predicate, obj in graph.predicate_objects(subject):
        if predicate in (RDF.type, CHANGED):
            continue
        if not _read_meta(
            _REVISION_TERMS, predicate, obj, base, revision, str(subject), problems, name
        ):
            problems.append(
                Problem(name, 0, f"{subject}: unknown predicate {predicate} for a revision")
            )
    for required in ("seq", "at", "actor", "changes"):
        if required not in revision:
            problems.append(Problem(name, 0, f"{subject}: a revision needs its {required}"))
    for text in ("changes", "sourceNotes"):
        if text in revision:
            try:
                loads(revision[text])
            except ValueError:
                problems.append(Problem(name, 0, f"{subject}: {text} is not valid JSON"))
    keys = []
    for iri in revision.get("sources", []):
        try:
            keys.append(parse_entity_iri(base, iri)[1])
        except KeyError as exc:
            problems.append(Problem(name, 0, f"{subject}: source {exc.args[0]}"))
    revision["sources"] = sorted(keys)
    return revision if len(problems) == before else None


def read_graph(path: Path, syntax: str | None = None) -> Graph:
    """Parse any syntax (by extension, or `syntax`) into one graph (named graphs merged)."""
    fmt = syntax or SYNTAXES.get(path.suffix.lower())
    if fmt is None:
        raise LoaderError(
            [
                Problem(
                    path.name,
                    0,
                    f"unknown RDF syntax; use one of {', '.join(sorted(set(SYNTAXES.values())))}",
                )
            ]
        )
    try:
        if fmt in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            graph = Graph()
            for s, p, o, _ in dataset.quads():
                graph.add((s, p, o))
            return graph
        return Graph().parse(path, format=fmt)
    except Exception as exc:
        raise LoaderError(
            [Problem(path.name, getattr(exc, "line", 0) or 0, f"not valid {fmt}: {exc}")]
        ) from exc


def with_own_classes(graph: Graph) -> Graph:
    """`graph` with every node typed only by the standard class an MSKG class specialises
    (its `rdf_type`) also typed with that class's own RDF class, so shapes and mapping apply."""
    own = {class_iri(c) for c in ONTOLOGY.classes}
    by_standard = {expand(c.rdf_type): class_iri(c) for c in ONTOLOGY.classes}
    for subject in set(graph.subjects(RDF.type, None)):
        types = set(graph.objects(subject, RDF.type))
        if types & own:
            continue
        for standard in types & by_standard.keys():
            graph.add((subject, RDF.type, by_standard[standard]))  # type: ignore[index]
    return graph


def _reverse_maps() -> tuple[
    dict[URIRef, ClassDef],
    dict[tuple[str, URIRef], PropertyDef],
    dict[URIRef, RelationDef],
    dict[URIRef, str],
]:
    classes = {class_iri(c): c for c in ONTOLOGY.classes}
    props = {
        (c.name, property_predicate(c, p)): p
        for c in ONTOLOGY.classes
        for p in ONTOLOGY.class_properties(c)
    }
    relations = {expand(r.predicate): r for r in ONTOLOGY.relations}
    enums = {enum_value_iri(e, v): v.name for e in ONTOLOGY.enums for v in e.values}
    return classes, props, relations, enums


def _value(prop: PropertyDef, node: Node, base: str, enums: dict[URIRef, str]) -> Any:
    if prop.datatype is Datatype.ENUM:
        return enums.get(node, str(node)) if isinstance(node, URIRef) else str(node)
    if prop.ref_class is not None and isinstance(node, URIRef):
        return parse_entity_iri(base, str(node))[1]
    if prop.iri_scheme is not None and str(node).startswith(prop.iri_scheme):
        return contact_value(prop.iri_scheme, str(node))
    if isinstance(node, Literal):
        if prop.datatype in (Datatype.STRING, Datatype.PARTIAL_DATE, Datatype.URI, Datatype.TEXT):
            return str(node)
        return node.toPython()
    return str(node)


def map_graph(graph: Graph, base: str, name: str) -> RdfData:
    """RDF → validated records; every unmapped class or predicate becomes a problem."""
    out = RdfData()
    classes, props, relations, enums = _reverse_maps()
    statement_classes = {statement_class_iri(r): r for r in ONTOLOGY.relations}
    raw_entities: dict[str, dict[str, Any]] = {}
    raw_links: dict[tuple[str, str, str], dict[str, Any]] = {}
    for subject in sorted(set(graph.subjects(RDF.type, None)), key=str):
        types = set(graph.objects(subject, RDF.type))
        if RDF.Statement in types:
            continue  # reified relationship properties: read with their relationship below
        if REVISION_CLASS in types:
            revision = _read_revision(graph, subject, base, name, out.problems)
            if revision is not None:
                out.revisions.append(revision)
            continue
        if types & _NOT_ENTITIES:
            continue
        found = [classes[t] for t in types if isinstance(t, URIRef) and t in classes]
        if not found:
            out.problems.append(
                Problem(
                    name, 0, f"{subject}: no MSKG class among its types {sorted(map(str, types))}"
                )
            )
            continue
        cls = found[0]
        try:
            iri_cls, key = parse_entity_iri(base, str(subject))
        except KeyError as exc:
            out.problems.append(
                Problem(name, 0, f"{subject}: {exc.args[0]} (is MSKG_BASE_IRI right?)")
            )
            continue
        if iri_cls.name != cls.name:
            out.problems.append(
                Problem(name, 0, f"{subject}: typed {cls.name} but its IRI is for {iri_cls.name}")
            )
            continue
        raw: dict[str, Any] = {"class": cls.name, "key": key}
        meta = out.entity_meta.setdefault(key, {})
        for predicate, obj in graph.predicate_objects(subject):
            if predicate in (RDF.type, KEY):
                continue
            if _read_meta(
                _RECORD_META, predicate, obj, base, meta, str(subject), out.problems, name
            ):
                continue
            prop = props.get((cls.name, predicate))  # type: ignore[arg-type]
            if prop is not None:
                value = _value(prop, obj, base, enums)
                if prop.datatype is Datatype.TEXT:
                    lang = obj.language if isinstance(obj, Literal) and obj.language else "und"
                    if prop.many:
                        raw.setdefault(prop.name, {}).setdefault(lang, []).append(value)
                    else:
                        raw.setdefault(prop.name, {})[lang] = value
                elif prop.many:
                    raw.setdefault(prop.name, []).append(value)
                else:
                    raw[prop.name] = value
            elif predicate in relations and isinstance(obj, URIRef):
                rel = relations[predicate]  # type: ignore[index]
                try:
                    end = parse_entity_iri(base, str(obj))[1]
                except KeyError:
                    out.problems.append(
                        Problem(name, 0, f"{subject} {predicate}: {obj} is not an MSKG entity")
                    )
                    continue
                raw_links[(rel.type, key, end)] = {"type": rel.type, "from": key, "to": end}
            else:
                out.problems.append(
                    Problem(name, 0, f"{subject}: unknown predicate {predicate} for {cls.name}")
                )
        for field_name in ("sources",):
            if field_name in raw:
                raw[field_name] = sorted(raw[field_name])
        raw_entities[key] = raw
    for statement in set(graph.subjects(RDF.type, RDF.Statement)):
        rel_classes = [
            statement_classes[t]
            for t in graph.objects(statement, RDF.type)
            if isinstance(t, URIRef) and t in statement_classes
        ]
        start_node, end_node = (
            graph.value(statement, RDF.subject),
            graph.value(statement, RDF.object),
        )
        if not rel_classes or start_node is None or end_node is None:
            out.problems.append(
                Problem(name, 0, f"{statement}: a statement of no MSKG relationship")
            )
            continue
        rel = rel_classes[0]
        link_key = (
            rel.type,
            parse_entity_iri(base, str(start_node))[1],
            parse_entity_iri(base, str(end_node))[1],
        )
        link = raw_links.setdefault(
            link_key, {"type": rel.type, "from": link_key[1], "to": link_key[2]}
        )
        edge_props = {p.predicate: p for p in ONTOLOGY.relation_properties(rel)}
        meta = out.relation_meta.setdefault(link_key, {})
        for predicate, obj in graph.predicate_objects(statement):
            if predicate in (RDF.type, RDF.subject, RDF.predicate, RDF.object):
                continue
            if _read_meta(
                _RECORD_META, predicate, obj, base, meta, str(statement), out.problems, name
            ):
                continue
            curie = next((c for c in edge_props if expand(c) == predicate), None)
            if curie is None:
                out.problems.append(
                    Problem(name, 0, f"{statement}: unknown predicate {predicate} for {rel.type}")
                )
                continue
            prop = edge_props[curie]
            value = _value(prop, obj, base, enums)
            if prop.datatype is Datatype.TEXT:
                lang = obj.language if isinstance(obj, Literal) and obj.language else "und"
                link.setdefault(prop.name, {})[lang] = value
            elif prop.many:
                link.setdefault(prop.name, []).append(value)
            else:
                link[prop.name] = value
    for raw in raw_entities.values():
        record = validate_entity(Located(raw, name, 0), out.problems)
        if record is not None:
            out.entities.append(record)
    for link in raw_links.values():
        if "sources" in link:
            link["sources"] = sorted(link["sources"])
        relation = validate_relation(Located(link, name, 0), out.problems)
        if relation is not None:
            out.relations.append(relation)
    return out


@dataclass(frozen=True)
class RdfImport:
    report: UpsertReport | None  # None for a restore
    entities: int
    relations: int
    revisions: int  # restored, or (in an ordinary import) present in the file and left out
    restored: RestoreCounts | None = None


def _restore_rows(
    data: RdfData, base: str
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[tuple[str, str, dict[str, Any]]]]]:
    """Stored forms for a restore; bookkeeping missing anywhere is a problem (a restored node
    without `version` would look new to every later write)."""
    entities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity in data.entities:
        meta = data.entity_meta.get(entity.key, {})
        missing = [t.predicate for t in RECORD_META if t.name not in meta]
        if missing:
            data.problems.append(
                Problem(entity.file, 0, f"{entity.key}: a restore needs {', '.join(missing)}")
            )
        row = entity.row(base)
        props = {k: v for k, v in row.props.items() if v is not None}
        entities[entity.cls.name].append({**props, "key": row.key, "iri": row.iri, **meta})
    relations: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for relation in data.relations:
        meta = data.relation_meta.get((relation.type, relation.start, relation.end), {})
        missing = [t.predicate for t in RECORD_META if t.name != "version" and t.name not in meta]
        if missing:
            data.problems.append(
                Problem(
                    relation.file,
                    0,
                    f"{relation.type} {relation.start} -> {relation.end}: a restore needs "
                    f"{', '.join(missing)} (on its reified statement)",
                )
            )
        props = {k: v for k, v in relation.props.items() if v is not None}
        relations[relation.type].append((relation.start, relation.end, {**props, **meta}))
    return dict(entities), dict(relations)


async def import_rdf(
    driver: AsyncDriver,
    database: str,
    base: str,
    path: Path,
    actor: str,
    syntax: str | None = None,
    restore_log: bool = False,
) -> RdfImport:
    """SHACL first (any violation → nothing written), then upsert every entity and relationship
    as a change by `actor` — or, with `restore_log`, restore facts, bookkeeping and revisions
    exactly as the file holds them (into an empty database)."""
    graph = with_own_classes(read_graph(path, syntax))
    # Entities the file refers to but does not describe (already in the graph) are typed for
    # the shapes' class checks, in a copy used only for validation.
    typed = set(graph.subjects(RDF.type, None))
    referenced: dict[str, URIRef] = {}
    for node in set(graph.objects()):
        if isinstance(node, URIRef) and node not in typed:
            try:
                referenced[parse_entity_iri(base, str(node))[1]] = node
            except KeyError:
                continue
    existing = await classes_of(driver, database, sorted(referenced))
    checked = Graph()
    checked += graph
    for key, class_name in existing.items():
        checked.add((referenced[key], RDF.type, class_iri(ONTOLOGY.cls(class_name))))
    # Every problem is reported at once: SHACL violations and terms the ontology lacks.
    shacl = [Problem(path.name, 0, f"SHACL: {v}") for v in validate(checked)]
    data = map_graph(graph, base, path.name)
    if shacl:
        raise LoaderError(shacl + data.problems)

    wanted = sorted(
        {k for r in data.relations for k in (r.start, r.end)}
        | {s for e in data.entities for s in e.sources}
    )
    known = await classes_of(
        driver, database, [k for k in wanted if k not in {e.key for e in data.entities}]
    )
    check_references(data.entities, data.relations, data.problems, known)
    if restore_log:
        entity_rows, relation_rows = _restore_rows(data, base)
        if data.problems:
            raise LoaderError(data.problems)
        try:
            counts = await restore(driver, database, entity_rows, relation_rows, data.revisions)
        except IntegrityError as exc:
            raise LoaderError([Problem(path.name, 0, str(exc))]) from exc
        return RdfImport(None, counts.entities, counts.relationships, counts.revisions, counts)
    if data.problems:
        raise LoaderError(data.problems)
    entities: dict[str, list[Any]] = defaultdict(list)
    for entity in data.entities:
        entities[entity.cls.name].append(entity.row(base))
    relations: dict[str, list[Any]] = defaultdict(list)
    for relation in data.relations:
        relations[relation.type].append(relation.row())
    source = file_source(path, base)
    report = await upsert_graph(
        driver,
        database,
        {"Source": [source], **entities},
        dict(relations),
        actor=actor,
        atomic=False,
        comment=f"RDF import of {path.name}",
        sources=[source.key],
    )
    return RdfImport(report, len(data.entities), len(data.relations), len(data.revisions))
