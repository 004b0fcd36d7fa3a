"""The relationship types of MSKG — declared once, here."""

from __future__ import annotations

from ontology.classes import _p
from ontology.model import Datatype, Labels, RelationDef

BODIES = ("Organization", "Committee")
DELIVERABLES = ("Standard", "WorkItem")
DOCUMENTS = ("Standard", "WorkItem", "PolicyDocument")


def _r(
    rel_type: str,
    zh: str,
    en: str,
    domain: tuple[str, ...],
    range_: tuple[str, ...],
    predicate: str,
    field: str,
    inverse_field: str,
    definition_en: str = "",
    **options: object,
) -> RelationDef:
    return RelationDef(
        type=rel_type,
        labels=Labels(zh, en, definition_en=definition_en),
        domain=domain,
        range=range_,
        predicate=predicate,
        field=field,
        inverse_field=inverse_field,
        **options,  # type: ignore[arg-type]
    )


RELATIONS: tuple[RelationDef, ...] = (
    # -- bodies ---------------------------------------------------------------------------------
    _r("SUB_ORGANIZATION_OF", "隶属于", "Sub-organization of", BODIES, BODIES,
       "org:subOrganizationOf", "parents", "children",
       "The body this committee or organization sits under (a joint body has several)."),
    _r("SECRETARIAT", "秘书处承担单位", "Secretariat held by", ("Committee",), BODIES,
       "mskg:secretariat", "secretariat", "secretariatOf",
       "The organization that holds (or hosts) the committee's secretariat.",
       properties=(_p("since", Datatype.PARTIAL_DATE, "起始日期", "Since", "mskg:since"),)),
    _r("DOMESTIC_COUNTERPART_OF", "国内技术对口", "Domestic counterpart of", ("Committee",),
       ("Committee",), "mskg:domesticCounterpartOf", "counterpartOf", "domesticCounterparts",
       "A national committee mirroring an international one (国内技术归口/对口).",
       properties=(_p("evidence", Datatype.ENUM, "依据", "Evidence", "mskg:evidence",
                      enum="MirrorEvidence", required=True),)),
    _r("COUNTERPART_HOLDER", "国内对口单位", "Domestic counterpart organization",
       ("Organization",), ("Committee",), "mskg:counterpartHolderOf", "counterpartFor",
       "counterpartHolders",
       "An organization acting as the national counterpart body (国内对口单位) of an "
       "international committee."),
    _r("SUCCESSOR_OF", "继承自", "Successor of", BODIES, BODIES, "mskg:successorOf",
       "predecessors", "successors", "The body continues the work of an earlier one."),
    _r("MEMBER_OF", "成员", "Member of", ("Person", *BODIES), BODIES, "org:memberOf",
       "memberOf", "members", "A person's affiliation, or a body's membership of another."),
    # -- posts ------------------------------------------------------------------------------------
    _r("POST_IN", "职务所属", "Post in", ("Post",), BODIES, "org:postIn", "body", "posts",
       many=False),
    _r("HELD_BY", "任职人", "Held by", ("Post",), ("Person",), "org:heldBy", "holders",
       "postsHeld"),
    _r("NOMINATED_FROM", "拟任来源", "Nominated from", ("Post",), BODIES, "mskg:nominatedFrom",
       "nominatedFrom", "nominatesTo",
       "The organization the holder is to come from, when no person is named."),
    # -- liaisons ---------------------------------------------------------------------------------
    _r("LIAISON_OF", "联络发起方", "Liaison of", ("Liaison",), BODIES, "mskg:liaisonOf",
       "holder", "liaisons", "The committee that holds the liaison (our side).", many=False),
    _r("LIAISON_WITH", "联络对方", "Liaison with", ("Liaison",), BODIES, "mskg:liaisonWith",
       "partner", "liaisonsAsPartner", "The body on the other side of the liaison.",
       many=False),
    _r("CONTACT", "联络人", "Contact", ("Liaison",), ("Person",), "mskg:contact", "contacts",
       "liaisonContacts",
       properties=(_p("side", Datatype.ENUM, "所属方", "Side", "mskg:side", enum="LiaisonSide",
                      required=True),)),
    _r("STATEMENT_OF", "所属联络关系", "Statement of liaison", ("LiaisonStatement",),
       ("Liaison",), "mskg:statementOf", "liaison", "statements", many=False),
    _r("SENT_BY", "发送方", "Sent by", ("LiaisonStatement",), BODIES, "mskg:sentBy", "from",
       "statementsSent"),
    _r("SENT_TO", "接收方", "Sent to", ("LiaisonStatement",), BODIES, "mskg:sentTo", "to",
       "statementsReceived",
       properties=(_p("purpose", Datatype.ENUM, "目的", "Purpose", "mskg:purpose",
                      enum="StatementPurpose"),)),
    _r("IN_RESPONSE_TO", "答复", "In response to", ("LiaisonStatement",), ("LiaisonStatement",),
       "mskg:inResponseTo", "inResponseTo", "responses"),
    _r("STATEMENT_CONTACT", "联络函联系人", "Statement contact", ("LiaisonStatement",), ("Person",),
       "mskg:statementContact", "contacts", "statementContacts",
       "A person in one of the statement's contact roles (RFC 4053).",
       properties=(_p("role", Datatype.ENUM, "角色", "Role", "mskg:contactRole",
                      enum="StatementContactRole", required=True),)),
    _r("ATTACHMENT", "附件", "Attachment", ("LiaisonStatement",), ("Source",), "mskg:attachment",
       "attachments", "attachedTo", "A document sent with the statement (by title and URL)."),
    # -- deliverables -----------------------------------------------------------------------------
    _r("DEVELOPED_BY", "归口/编制单位", "Developed by", DOCUMENTS, BODIES, "dcterms:creator",
       "developedBy", "developed",
       "The committee responsible for the item (归口), or the author of a document."),
    _r("DRAFTED_BY", "起草单位", "Drafted by", DOCUMENTS, BODIES, "dcterms:contributor",
       "draftedBy", "drafted"),
    _r("PUBLISHED_BY", "发布单位", "Published by", ("Standard", "PolicyDocument"), BODIES,
       "dcterms:publisher", "publishers", "published"),
    _r("ADOPTS", "采用", "Adopts", DELIVERABLES, DELIVERABLES, "mskg:adopts", "adopts",
       "adoptedBy", "A domestic standard's adoption of an international one.",
       properties=(_p("degree", Datatype.ENUM, "采用程度", "Degree", "mskg:degree",
                      enum="AdoptionDegree", required=True),)),
    _r("RESULTS_IN", "形成标准", "Results in", ("WorkItem",), ("Standard",), "mskg:resultsIn",
       "results", "project"),
    _r("REVISES", "修订", "Revises", DELIVERABLES, ("Standard",), "mskg:revises", "revises",
       "revisedBy"),
    _r("REPLACES", "代替", "Replaces", (*DELIVERABLES, "LiaisonStatement"),
       ("Standard", "LiaisonStatement"), "dcterms:replaces", "replaces", "replacedBy",
       "A standard replacing another, or a liaison statement superseding an earlier one."),
    _r("REFERENCES", "引用", "References", (*DOCUMENTS, "LiaisonStatement"),
       (*DOCUMENTS, "LiaisonStatement"), "dcterms:references", "references", "referencedBy"),
    _r("IS_PART_OF", "部分", "Part of", DELIVERABLES, DELIVERABLES, "dcterms:isPartOf",
       "partOf", "parts", "A part of a multi-part series."),
    # -- documents and plans ----------------------------------------------------------------------
    _r("IMPLEMENTS", "贯彻落实", "Implements", ("PolicyDocument", "PlanItem"),
       ("PolicyDocument",), "mskg:implements", "implements", "implementedBy"),
    _r("STATED_IN", "出自", "Stated in", ("PlanItem",), ("PolicyDocument",), "mskg:statedIn",
       "statedIn", "planItems"),
    _r("PLAN_OF", "所属机构", "Plan of", ("PlanItem",), BODIES, "mskg:planOf", "body",
       "planItems"),
    # -- concepts ---------------------------------------------------------------------------------
    _r("IN_SCHEME", "所属概念体系", "In scheme", ("Concept",), ("ConceptScheme",),
       "skos:inScheme", "schemes", "concepts"),
    _r("TOP_CONCEPT_OF", "顶层概念", "Top concept of", ("Concept",), ("ConceptScheme",),
       "skos:topConceptOf", "topConceptOf", "topConcepts"),
    _r("BROADER", "上位概念", "Broader", ("Concept",), ("Concept",), "skos:broader", "broader",
       "narrower"),
    _r("RELATED", "相关概念", "Related", ("Concept",), ("Concept",), "skos:related", "related",
       "relatedFrom", symmetric=True),
    _r("ABOUT", "涉及主题", "About", ("Standard", "WorkItem", "Committee", "PlanItem",
                                       "PolicyDocument", "LiaisonStatement", "Organization"),
       ("Concept",), "dcterms:subject", "subjects", "subjectOf"),
)  # fmt: skip
