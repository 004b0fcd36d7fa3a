"""The classes of MSKG and their data properties — declared once, here."""

from __future__ import annotations

from dataclasses import replace

from ontology.model import ClassDef, Datatype, Labels, PropertyDef

KEY_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"
STAGE_PATTERN = r"^\d{2}\.\d{2}$"


def _p(
    name: str,
    datatype: Datatype,
    zh: str,
    en: str,
    predicate: str,
    definition_en: str = "",
    **options: object,
) -> PropertyDef:
    return PropertyDef(
        name=name,
        datatype=datatype,
        labels=Labels(zh, en, definition_en=definition_en),
        predicate=predicate,
        **options,  # type: ignore[arg-type]
    )


T, S, INT, DBL, D, PD, U, E, BOOL = (
    Datatype.TEXT,
    Datatype.STRING,
    Datatype.INTEGER,
    Datatype.DOUBLE,
    Datatype.DATE,
    Datatype.PARTIAL_DATE,
    Datatype.URI,
    Datatype.ENUM,
    Datatype.BOOLEAN,
)

# -- properties every class has ------------------------------------------------------------------
KEY = _p(
    "key",
    S,
    "键",
    "Key",
    "mskg:key",
    "Stable, human-readable identifier, unique across the graph; the entity IRI derives from it.",
    required=True,
    pattern=KEY_PATTERN,
)
PREF_LABEL = _p(
    "prefLabel",
    T,
    "首选标签",
    "Preferred label",
    "skos:prefLabel",
    "Name or title, one per language.",
    required=True,
    searchable=True,
)
ALT_LABEL = _p(
    "altLabel",
    T,
    "别名",
    "Alternative labels",
    "skos:altLabel",
    "Abbreviations, designations and former names.",
    many=True,
    searchable=True,
)
DEFINITION = _p("definition", T, "定义", "Definition", "skos:definition")
NOTE = _p("note", T, "注释", "Note", "skos:note", "Editorial or scope note.")
SOURCES = _p(
    "sources",
    S,
    "来源",
    "Sources",
    "dcterms:source",
    "The documents this fact is taken from.",
    many=True,
    ref_class="Source",
)

COMMON: tuple[PropertyDef, ...] = (KEY, PREF_LABEL, ALT_LABEL, DEFINITION, NOTE, SOURCES)

# Relationships carry their sources and a note too.
RELATION_COMMON: tuple[PropertyDef, ...] = (SOURCES, NOTE)

# -- shared by several classes -------------------------------------------------------------------
DESIGNATION = _p(
    "designation",
    S,
    "编号",
    "Designation",
    "dcterms:identifier",
    "Official designation, e.g. SAC/TC28, ISO/IEC JTC 1/SC 24, GB/T 38258-2019.",
    searchable=True,
    indexed=True,
)
FOUNDED = _p("founded", PD, "成立日期", "Founded", "schema:foundingDate")
DISSOLVED = _p("dissolved", PD, "结束日期", "Concluded", "schema:dissolutionDate")
HOMEPAGE = _p("homepage", U, "主页", "Homepage", "foaf:homepage")
PAGE = _p("page", U, "网页", "Web page", "foaf:page")
STAGE_CODE = _p(
    "stageCode",
    S,
    "阶段代码",
    "Stage code",
    "mskg:stageCode",
    "ISO/IEC harmonized stage code (e.g. 60.60), one of the HarmonizedStage vocabulary; ITU "
    "and Chinese stages are mapped onto it.",
    pattern=STAGE_PATTERN,
    indexed=True,
)
NATIVE_STAGE = _p(
    "nativeStage",
    S,
    "原始阶段",
    "Native stage",
    "mskg:nativeStage",
    "The stage as the developing body names it (e.g. AAP Consent, 立项, PAR approved).",
)
ISSUED = _p("issued", PD, "发布日期", "Issued", "dcterms:issued", indexed=True)
DESCRIPTION = _p("description", T, "说明", "Description", "dcterms:description")

ORGANIZATION = ClassDef(
    name="Organization",
    labels=Labels(
        "组织",
        "Organization",
        definition_en="A standards body, ministry, institute, company, association or consortium.",
        definition_zh="标准化机构、政府部门、科研院所、企业、协会或联盟。",
    ),
    rdf_type="org:FormalOrganization",
    slug="organization",
    properties=(
        _p(
            "orgKind",
            E,
            "组织类型",
            "Kind",
            "mskg:organizationKind",
            enum="OrganizationKind",
            indexed=True,
        ),
        _p(
            "countryCode",
            S,
            "国家/地区代码",
            "Country code",
            "mskg:countryCode",
            "ISO 3166-1 alpha-2 code.",
            pattern=r"^[A-Z]{2}$",
        ),
        HOMEPAGE,
        FOUNDED,
        DISSOLVED,
        _p(
            "domesticCounterpartCount",
            INT,
            "承担国内技术归口的国际TC/SC数",
            "Counterpart TC/SC count",
            "mskg:domesticCounterpartCount",
            "Number of IEC and ISO/IEC JTC 1 TCs/SCs it is the domestic counterpart for.",
            minimum=0,
        ),
        _p(
            "nationalTcSecretariatCount",
            INT,
            "承担全国标准化技术委员会秘书处数",
            "National TC secretariats held",
            "mskg:nationalTcSecretariatCount",
            minimum=0,
        ),
        _p(
            "nationalScSecretariatCount",
            INT,
            "承担全国标准化技术委员会分技术委员会秘书处数",
            "National SC secretariats held",
            "mskg:nationalScSecretariatCount",
            minimum=0,
        ),
        _p(
            "nationalAwardCount",
            INT,
            "国家级奖项数",
            "National awards",
            "mskg:nationalAwardCount",
            minimum=0,
        ),
        _p(
            "ministerialAwardCount",
            INT,
            "部级奖项数",
            "Ministerial awards",
            "mskg:ministerialAwardCount",
            minimum=0,
        ),
    ),
)

COMMITTEE = ClassDef(
    name="Committee",
    labels=Labels(
        "委员会/工作组",
        "Committee",
        definition_en="A technical committee, subcommittee, working, study, focus or evaluation "
        "group, or a ministry working group.",
        definition_zh="技术委员会、分技术委员会、工作组、研究组、焦点组、评估组或部级工作组。",
    ),
    rdf_type="org:OrganizationalUnit",
    slug="committee",
    facets=("committeeKind", "status"),
    properties=(
        DESIGNATION,
        _p(
            "committeeKind",
            E,
            "类型",
            "Kind",
            "mskg:committeeKind",
            enum="CommitteeKind",
            indexed=True,
        ),
        _p("status", E, "状态", "Status", "mskg:bodyStatus", enum="BodyStatus", indexed=True),
        FOUNDED,
        DISSOLVED,
        # Text, so not org:purpose (an object property: ORG's purposes are concepts).
        _p("scope", T, "工作范围", "Scope", "mskg:scope"),
        HOMEPAGE,
    ),
)

PERSON = ClassDef(
    name="Person",
    labels=Labels("人员", "Person"),
    rdf_type="foaf:Person",
    slug="person",
    properties=(
        _p(
            "email",
            S,
            "电子邮件",
            "E-mail",
            "vcard:hasEmail",
            pattern=r"^[^@\s]+@[^@\s]+$",
            private=True,
            iri_scheme="mailto:",
        ),
        _p("phone", S, "电话", "Phone", "vcard:hasTelephone", private=True, iri_scheme="tel:"),
        HOMEPAGE,
    ),
)

POST = ClassDef(
    name="Post",
    labels=Labels(
        "职务",
        "Post",
        definition_en="A position in a body (chair, secretary-general, liaison officer, …), "
        "whether or not its holder is known.",
    ),
    rdf_type="org:Post",
    slug="post",
    properties=(
        _p("role", E, "职务", "Role", "org:role", enum="PostRole", required=True, indexed=True),
        _p("postStatus", E, "状态", "Status", "mskg:postStatus", enum="PostStatus"),
        _p(
            "holderDescription",
            T,
            "任职人说明",
            "Holder description",
            "mskg:holderDescription",
            "Who is to hold the post, when no person is named.",
        ),
        _p("validFrom", PD, "起始日期", "Valid from", "schema:startDate"),
        _p("validUntil", PD, "终止日期", "Valid until", "schema:endDate"),
    ),
)

LIAISON = ClassDef(
    name="Liaison",
    labels=Labels(
        "联络关系",
        "Liaison",
        definition_en="A liaison or coordination relationship between two committees or "
        "organizations.",
    ),
    rdf_type="mskg:Liaison",
    slug="liaison",
    facets=("category", "liaisonStatus"),
    properties=(
        _p(
            "category",
            E,
            "类别",
            "Category",
            "mskg:liaisonCategory",
            enum="LiaisonCategory",
            required=True,
            indexed=True,
        ),
        _p(
            "liaisonStatus",
            E,
            "状态",
            "Status",
            "mskg:liaisonStatus",
            enum="LiaisonStatus",
            indexed=True,
        ),
        _p("since", PD, "建立日期", "Since", "mskg:since"),
        _p("until", PD, "终止日期", "Until", "mskg:until"),
        DESCRIPTION,
        _p(
            "lastReviewed",
            D,
            "最近复核日期",
            "Last reviewed",
            "mskg:lastReviewed",
            "When the committee last reviewed the liaison (ISO and IEC review each liaison at "
            "least every two years).",
        ),
        _p(
            "reviewDue",
            D,
            "复核到期日",
            "Review due",
            "mskg:reviewDue",
            "When the next review is due; when not set, for ISO/IEC liaisons two years after the "
            "last review, or after the liaison was established.",
            indexed=True,
        ),
    ),
)

LIAISON_STATEMENT = ClassDef(
    name="LiaisonStatement",
    labels=Labels("联络函", "Liaison statement"),
    rdf_type="mskg:LiaisonStatement",
    slug="liaison-statement",
    label_predicate="dcterms:title",
    extra_rdf_types=("prov:Entity",),
    properties=(
        _p(
            "identifiers",
            S,
            "文号",
            "Identifiers",
            "mskg:statementIdentifier",
            "The sending body's own numbers (e.g. an ITU-T LS number, a JTC 1 N-document).",
            many=True,
            searchable=True,
        ),
        ISSUED,
        _p("direction", E, "方向", "Direction", "mskg:direction", enum="StatementDirection"),
        _p("purpose", E, "目的", "Purpose", "mskg:purpose", enum="StatementPurpose"),
        _p("summary", T, "摘要", "Summary", "dcterms:abstract"),
        _p("deadline", D, "答复期限", "Reply due", "mskg:deadline", indexed=True),
        _p(
            "replyStatus",
            E,
            "处理状态",
            "Action status",
            "mskg:replyStatus",
            enum="ReplyStatus",
            indexed=True,
        ),
        _p(
            "state",
            E,
            "状态",
            "State",
            "mskg:statementState",
            enum="StatementState",
            indexed=True,
            definition_en="Workflow state: draft → pending approval → approved → posted (outgoing), or received (incoming).",
        ),
        DESCRIPTION,
        *(
            _p(
                name,
                S,
                zh,
                en,
                f"mskg:{name}",
                "Plain addresses (e-mail or postal) for people not in the graph.",
                many=True,
                private=True,
            )
            for name, zh, en in (
                ("senderAddresses", "发送方地址", "Sender addresses"),
                ("recipientAddresses", "接收方地址", "Recipient addresses"),
                ("responseAddresses", "答复地址", "Response addresses"),
                ("technicalAddresses", "技术联系地址", "Technical contact addresses"),
                ("actionHolderAddresses", "行动负责人地址", "Action holder addresses"),
                ("ccAddresses", "抄送地址", "Cc addresses"),
            )
        ),
        PAGE,
    ),
)

_DELIVERABLE_COMMON = (DESIGNATION, STAGE_CODE, NATIVE_STAGE, PAGE)

STANDARD = ClassDef(
    name="Standard",
    labels=Labels(
        "标准",
        "Standard",
        definition_en="A published standard, specification, report or recommendation, or a "
        "multi-part series.",
    ),
    rdf_type="dcterms:Standard",
    slug="standard",
    label_predicate="dcterms:title",
    facets=("standardKind", "stageCode", "level"),
    tallies=(("DEVELOPED_BY", "stageCode"),),
    properties=(
        *_DELIVERABLE_COMMON,
        _p(
            "standardKind",
            E,
            "类型",
            "Kind",
            "mskg:standardKind",
            enum="StandardKind",
            indexed=True,
        ),
        ISSUED,
        _p("effective", D, "实施日期", "Effective", "dcterms:valid"),
        _p("edition", INT, "版次", "Edition", "mskg:edition", minimum=1),
        # -- bibliographic detail of published catalogues (Relaton: ISO, IEC, ITU, IEEE) --------
        _p(
            "level",
            E,
            "书目层级",
            "Level",
            "mskg:bibliographicLevel",
            "Series, work (the standard across its editions), edition, draft or supplement.",
            enum="StandardLevel",
            indexed=True,
        ),
        _p(
            "doctype",
            S,
            "文献类型",
            "Document type",
            "mskg:doctype",
            "The publisher's document type as it names it (international-standard, "
            "recommendation, technical-report …).",
            indexed=True,
        ),
        _p("summary", T, "摘要", "Abstract", "dcterms:abstract", searchable=True),
        _p(
            "inForce",
            BOOL,
            "现行有效",
            "In force",
            "mskg:inForce",
            "Whether the publisher lists this edition as current (published, not withdrawn, "
            "replaced or revised).",
            indexed=True,
        ),
        _p("withdrawn", PD, "废止日期", "Withdrawn", "mskg:withdrawn"),
        _p(
            "confirmed",
            PD,
            "确认日期",
            "Confirmed",
            "mskg:confirmed",
            "When the latest systematic review confirmed the edition (stage 90.93).",
        ),
        _p(
            "stableUntil",
            PD,
            "稳定期至",
            "Stable until",
            "mskg:stableUntil",
            "The date until which the publisher plans no change (IEC stability date).",
        ),
        _p("urn", S, "URN", "URN", "mskg:urn", pattern=r"^urn:\S+$"),
        _p("doi", S, "DOI", "DOI", "mskg:doi", pattern=r"^10\.\S+$"),
        _p("isbn", S, "ISBN", "ISBN", "mskg:isbn", many=True),
        _p(
            "catalogue",
            S,
            "目录来源",
            "Catalogue",
            "mskg:catalogue",
            "The published catalogues listing the document (iso, iec, itu, ieee); the first "
            "one imported provides its details.",
            many=True,
            indexed=True,
        ),
        _p(
            "stub",
            BOOL,
            "占位",
            "Stub",
            "mskg:stub",
            "A document known only as the target of a relation; a later import fills it in.",
            indexed=True,
        ),
    ),
)

WORK_ITEM = ClassDef(
    name="WorkItem",
    labels=Labels(
        "标准项目",
        "Work item",
        definition_en="A standardization project: a preliminary or new work item, an IEEE PAR, "
        "a Chinese plan project or pre-research project, an ITU-T work item.",
    ),
    rdf_type="mskg:WorkItem",
    slug="work-item",
    label_predicate="dcterms:title",
    facets=("projectKind", "stageCode"),
    tallies=(("DEVELOPED_BY", "stageCode"),),
    properties=(
        *_DELIVERABLE_COMMON,
        _p(
            "projectKind",
            E,
            "项目类型",
            "Project kind",
            "mskg:projectKind",
            enum="ProjectKind",
            indexed=True,
        ),
        _p(
            "targetKind",
            E,
            "目标成果类型",
            "Target deliverable",
            "mskg:targetKind",
            enum="StandardKind",
        ),
        _p("approved", PD, "立项日期", "Approved", "dcterms:dateAccepted"),
        _p("targetDate", PD, "目标日期", "Target date", "mskg:targetDate"),
        _p(
            "ballotOpened",
            D,
            "投票开始日期",
            "Ballot opened",
            "mskg:ballotOpened",
            "When the current ballot (NP, CD, DIS, FDIS, Last Call, sponsor ballot) opened.",
        ),
        _p(
            "ballotCloses",
            D,
            "投票截止日期",
            "Ballot closes",
            "mskg:ballotCloses",
            "When the current ballot closes.",
            indexed=True,
        ),
        _p(
            "progress",
            DBL,
            "完成进度（%）",
            "Progress (%)",
            "mskg:progress",
            "Share of the project's work done, in percent, as last reported to the working group.",
            minimum=0,
            maximum=100,
        ),
    ),
)

STAGE_EVENT = ClassDef(
    name="StageEvent",
    labels=Labels(
        "阶段记录",
        "Stage event",
        definition_en="A deliverable reaching a stage on a date: one entry of its stage history.",
        definition_zh="标准或项目在某日进入某一阶段：其阶段历史中的一条记录。",
    ),
    rdf_type="mskg:StageEvent",
    slug="stage-event",
    properties=(
        replace(STAGE_CODE, required=True),
        NATIVE_STAGE,
        _p(
            "reached",
            PD,
            "日期",
            "Reached",
            "mskg:stageReached",
            "When the deliverable reached the stage.",
            required=True,
        ),
    ),
)

MEMBERSHIP = ClassDef(
    name="Membership",
    labels=Labels(
        "成员资格",
        "Membership",
        definition_en="A person's or body's membership of a body, with its type, role and dates "
        "(a P-member of an ISO/IEC committee, an ITU Member State, an IEEE SA entity member).",
        definition_zh="人员或机构在某机构中的成员资格，含类型、角色与起止日期。",
    ),
    rdf_type="org:Membership",
    slug="membership",
    facets=("membershipType", "membershipStatus"),
    properties=(
        _p(
            "membershipType",
            E,
            "成员类型",
            "Type",
            "mskg:membershipType",
            enum="MembershipType",
            required=True,
            indexed=True,
        ),
        _p(
            "membershipStatus",
            E,
            "状态",
            "Status",
            "mskg:membershipStatus",
            enum="MembershipStatus",
            indexed=True,
        ),
        _p("role", E, "角色", "Role", "org:role", enum="PostRole", indexed=True),
        _p("validFrom", PD, "起始日期", "Valid from", "schema:startDate"),
        _p("validUntil", PD, "终止日期", "Valid until", "schema:endDate"),
    ),
)

CONCEPT = ClassDef(
    name="Concept",
    labels=Labels(
        "概念",
        "Concept",
        definition_en="A topic, technology, application domain, scene, governance or risk "
        "topic, or a standardization demand direction.",
    ),
    rdf_type="skos:Concept",
    slug="concept",
    properties=(
        _p(
            "conceptKind",
            E,
            "概念类型",
            "Kind",
            "mskg:conceptKind",
            enum="ConceptKind",
            indexed=True,
        ),
        _p("notation", S, "记号", "Notation", "skos:notation"),
    ),
)

CONCEPT_SCHEME = ClassDef(
    name="ConceptScheme",
    labels=Labels("概念体系", "Concept scheme"),
    rdf_type="skos:ConceptScheme",
    slug="scheme",
)

POLICY_DOCUMENT = ClassDef(
    name="PolicyDocument",
    labels=Labels(
        "政策文件/报告",
        "Policy document",
        definition_en="A policy, plan, guideline, proposal or report.",
    ),
    rdf_type="mskg:PolicyDocument",
    slug="document",
    label_predicate="dcterms:title",
    extra_rdf_types=("foaf:Document",),
    properties=(
        _p(
            "documentKind",
            E,
            "文件类型",
            "Kind",
            "mskg:documentKind",
            enum="DocumentKind",
            indexed=True,
        ),
        ISSUED,
        _p(
            "callsFor",
            T,
            "主要要求",
            "Calls for",
            "mskg:callsFor",
            "What the document calls for, in brief.",
        ),
        PAGE,
    ),
)

PLAN_ITEM = ClassDef(
    name="PlanItem",
    labels=Labels(
        "工作条目",
        "Plan item",
        definition_en="An item of a body's scope, work plan or rationale, as stated in a document.",
    ),
    rdf_type="mskg:PlanItem",
    slug="plan-item",
    properties=(
        _p("planKind", E, "条目类型", "Kind", "mskg:planKind", enum="PlanKind", required=True),
        _p("ordinal", INT, "序号", "Ordinal", "mskg:ordinal", minimum=1),
    ),
)

SOURCE = ClassDef(
    name="Source",
    labels=Labels("来源", "Source", definition_en="A document or web page facts are taken from."),
    rdf_type="dcterms:BibliographicResource",
    slug="source",
    label_predicate="dcterms:title",
    properties=(
        _p("url", U, "网址", "URL", "schema:url"),
        _p("citation", S, "引用信息", "Citation", "dcterms:bibliographicCitation"),
        _p("reliability", E, "可靠性", "Reliability", "mskg:reliability", enum="SourceReliability"),
        ISSUED,
    ),
)

CLASSES: tuple[ClassDef, ...] = (
    ORGANIZATION,
    COMMITTEE,
    PERSON,
    POST,
    LIAISON,
    LIAISON_STATEMENT,
    MEMBERSHIP,
    STANDARD,
    WORK_ITEM,
    STAGE_EVENT,
    CONCEPT,
    CONCEPT_SCHEME,
    POLICY_DOCUMENT,
    PLAN_ITEM,
    SOURCE,
)
