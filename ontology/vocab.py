"""Closed vocabularies (enumerations), each value with zh/en labels."""

from __future__ import annotations

from ontology.model import EnumDef, EnumValue, Labels


def _v(
    name: str,
    zh: str,
    en: str,
    definition_en: str = "",
    definition_zh: str = "",
    aliases: tuple[str, ...] = (),
) -> EnumValue:
    return EnumValue(
        name,
        Labels(zh, en, definition_zh=definition_zh, definition_en=definition_en),
        aliases=aliases,
    )


ORGANIZATION_KIND = EnumDef(
    "OrganizationKind",
    Labels("组织类型", "Organization kind"),
    (
        _v("INTERNATIONAL_SDO", "国际标准化组织", "International standards body"),
        _v("REGIONAL_SDO", "区域标准化组织", "Regional standards body"),
        _v("NATIONAL_STANDARDS_BODY", "国家标准化机构", "National standards body"),
        _v("GOVERNMENT_BODY", "政府机构", "Government body"),
        _v("RESEARCH_INSTITUTE", "科研院所", "Research institute"),
        _v("INDUSTRY_ASSOCIATION", "行业协会", "Industry association"),
        _v("CONSORTIUM", "产业联盟/论坛", "Consortium or forum"),
        _v("COMPANY", "企业", "Company"),
        _v("UNIVERSITY", "高校", "University"),
        _v("INTERGOVERNMENTAL", "政府间组织", "Intergovernmental organization"),
        _v("OTHER", "其他", "Other"),
    ),
)

COMMITTEE_KIND = EnumDef(
    "CommitteeKind",
    Labels("委员会类型", "Committee kind"),
    (
        _v("JTC", "联合技术委员会", "Joint technical committee"),
        _v("TC", "技术委员会", "Technical committee"),
        _v("SC", "分技术委员会", "Subcommittee"),
        _v("WG", "工作组", "Working group"),
        _v("SG", "研究组/特别工作组", "Study or special group"),
        _v("AG", "咨询组", "Advisory group"),
        _v("SEG", "标准化评估组", "Standardization evaluation group"),
        _v("JSEG", "联合标准化评估组", "Joint standardization evaluation group"),
        _v("FOCUS_GROUP", "焦点组", "Focus group"),
        _v("STUDY_GROUP", "研究组（ITU-T）", "Study group (ITU-T)"),
        _v("QUESTION", "课题（ITU-T）", "Question (ITU-T)"),
        _v("CORRESPONDENCE_GROUP", "通信组", "Correspondence group"),
        _v("TECHNICAL_AREA", "技术领域组", "Technical area"),
        _v(
            "MINISTRY_WORKING_GROUP",
            "部级标准化工作组",
            "Ministry-level standardization working group",
        ),
        _v("WORKING_COMMITTEE", "工作委员会", "Working committee"),
        _v("STANDARDS_COMMITTEE", "标准委员会", "Standards committee"),
        _v("INDUSTRY_SPECIFICATION_GROUP", "行业规范组", "Industry specification group"),
        _v("DOMAIN_GROUP", "领域组", "Domain group"),
        _v("OTHER", "其他", "Other"),
    ),
)

BODY_STATUS = EnumDef(
    "BodyStatus",
    Labels("机构状态", "Body status"),
    (
        _v("PROPOSED", "筹建中", "Proposed or being set up"),
        _v("ACTIVE", "活跃", "Active"),
        _v("CONCLUDED", "已结束", "Concluded or disbanded"),
    ),
)

POST_ROLE = EnumDef(
    "PostRole",
    Labels("职务", "Post role"),
    (
        _v("CHAIR", "主任委员", "Chair"),
        _v("VICE_CHAIR", "副主任委员", "Vice chair"),
        _v("SECRETARY_GENERAL", "秘书长", "Secretary-general"),
        _v("DEPUTY_SECRETARY_GENERAL", "副秘书长", "Deputy secretary-general"),
        _v("MEMBER", "委员", "Member"),
        _v("LIAISON_OFFICER", "联络人", "Liaison officer"),
        _v("CONVENOR", "召集人", "Convenor"),
        _v("CO_CONVENOR", "联合召集人", "Co-convenor"),
        _v("SECRETARY", "秘书", "Secretary"),
        _v("PRESIDENT", "主席/总裁", "President"),
    ),
    value_types=("org:Role",),  # the values of org:role (ORG's org:Role is a skos:Concept)
)

POST_STATUS = EnumDef(
    "PostStatus",
    Labels("职务状态", "Post status"),
    (
        _v("PLANNED", "拟设", "Planned; holder not yet appointed"),
        _v("FILLED", "在任", "Filled"),
        _v("ENDED", "已卸任", "Ended"),
    ),
)

LIAISON_CATEGORY = EnumDef(
    "LiaisonCategory",
    Labels("联络类别", "Liaison category"),
    (
        _v(
            "ISO_IEC_A",
            "A类联络",
            "ISO/IEC Category A",
            "Organization making an effective contribution to the work of a TC or SC.",
        ),
        _v(
            "ISO_IEC_B",
            "B类联络",
            "ISO/IEC Category B",
            "Organization that wishes to be kept informed of the work of a TC or SC.",
        ),
        _v(
            "ISO_IEC_C",
            "C类联络",
            "ISO/IEC Category C",
            "Organization contributing actively to a working group as a full WG member. Older "
            "editions of the Directives lettered this WG-level category D.",
            "向工作组积极贡献并作为工作组正式成员参加工作的组织。旧版导则称此类工作组层面的联络为D类。",
            aliases=("ISO_IEC_D",),
        ),
        _v(
            "INTERNAL",
            "内部联络",
            "Internal (between ISO/IEC committees)",
            "Liaison between committees of ISO and IEC, including JTC 1 and its subcommittees.",
        ),
        _v("ITU_T", "ITU-T联络", "ITU-T liaison", "ITU-T liaison of another kind."),
        _v(
            "ITU_T_A4",
            "ITU-T A.4合作",
            "ITU-T A.4 (forums and consortia)",
            "Communication process between ITU-T and a forum or consortium qualified under "
            "Recommendation ITU-T A.4.",
        ),
        _v(
            "ITU_T_A5",
            "ITU-T A.5引用",
            "ITU-T A.5 (referencing other organizations' documents)",
            "Organization qualified under Recommendation ITU-T A.5, whose documents ITU-T "
            "Recommendations may reference.",
        ),
        _v(
            "ITU_T_A6",
            "ITU-T A.6合作",
            "ITU-T A.6 (national and regional SDOs)",
            "Cooperation and exchange of information between ITU-T and a national or regional "
            "standards development organization qualified under Recommendation ITU-T A.6.",
        ),
        _v("IEEE", "IEEE联络", "IEEE liaison"),
        _v("PSDO", "PSDO合作", "Partner standards development organization (PSDO)"),
        _v(
            "COOPERATION_AGREEMENT",
            "合作协议/备忘录",
            "Cooperation agreement or MoU",
            "A memorandum of understanding or cooperation agreement between two bodies.",
        ),
        _v(
            "JOINT_TEAM",
            "联合工作组",
            "Joint team (collaboration mode)",
            "Work in a joint or collaborative team, as in the collaboration mode of ITU-T A.23 "
            "Annex A (JVET of ITU-T SG16 and ISO/IEC JTC 1/SC 29).",
        ),
        _v("DOMESTIC_COORDINATION", "国内协调", "Domestic coordination"),
        _v("OTHER", "其他", "Other"),
    ),
)

MEMBERSHIP_TYPE = EnumDef(
    "MembershipType",
    Labels("成员类型", "Membership type"),
    (
        _v(
            "P_MEMBER",
            "P成员（积极成员）",
            "P-member (participating)",
            "ISO/IEC committee member that takes an active part and must vote.",
        ),
        _v(
            "O_MEMBER",
            "O成员（观察成员）",
            "O-member (observing)",
            "ISO/IEC committee member that follows the work as an observer.",
        ),
        _v("ISO_MEMBER_BODY", "ISO成员体", "ISO member body"),
        _v("IEC_NATIONAL_COMMITTEE", "IEC国家委员会", "IEC National Committee"),
        _v("ITU_MEMBER_STATE", "ITU成员国", "ITU Member State"),
        _v("ITU_SECTOR_MEMBER", "ITU部门成员", "ITU Sector Member"),
        _v("ITU_ASSOCIATE", "ITU部门准成员", "ITU Associate"),
        _v("ITU_ACADEMIA", "ITU学术成员", "ITU Academia member"),
        _v("IEEE_ENTITY", "IEEE SA实体成员", "IEEE SA entity member"),
        _v("IEEE_INDIVIDUAL", "IEEE SA个人成员", "IEEE SA individual member"),
        _v("CONSORTIUM_MEMBER", "联盟/论坛成员", "Member of a consortium or forum"),
        _v("COMMITTEE_MEMBER", "委员会委员/成员单位", "Member of a committee (委员, 成员单位)"),
        _v("OTHER", "其他", "Other"),
    ),
)

MEMBERSHIP_STATUS = EnumDef(
    "MembershipStatus",
    Labels("成员资格状态", "Membership status"),
    (
        _v("ACTIVE", "有效", "Active"),
        _v("APPLIED", "申请中", "Applied for"),
        _v("ENDED", "已终止", "Ended"),
    ),
)

ESTABLISHMENT_ROLE = EnumDef(
    "EstablishmentRole",
    Labels("设立中的作用", "Role in establishment"),
    (
        _v("APPLICANT", "申请单位", "Applicant", "Applied for the body to be set up."),
        _v(
            "INITIATOR",
            "推动单位",
            "Initiator",
            "Promoted or proposed the body's establishment in another organization.",
        ),
        _v("LEAD", "牵头单位", "Lead", "Took the lead in forming the body."),
        _v("FOUNDER", "成立单位", "Founder", "Set the body up (under a parent body)."),
        _v(
            "CREATOR",
            "设立机构",
            "Creating body",
            "The parent body that created it by its decision or resolution.",
        ),
        _v("APPROVER", "批准机构", "Approving body", "Approved its establishment."),
    ),
)

LIAISON_STATUS = EnumDef(
    "LiaisonStatus",
    Labels("联络状态", "Liaison status"),
    (
        _v("PROPOSED", "拟建立", "Proposed"),
        _v("ACTIVE", "有效", "Active"),
        _v("SUSPENDED", "暂停", "Suspended"),
        _v("ENDED", "已终止", "Ended"),
    ),
)

LIAISON_SIDE = EnumDef(
    "LiaisonSide",
    Labels("联络方", "Liaison side"),
    (
        _v("OWN", "本方", "The committee holding the liaison"),
        _v("PARTNER", "对方", "The liaison partner"),
    ),
)

STATEMENT_DIRECTION = EnumDef(
    "StatementDirection",
    Labels("联络函方向", "Statement direction"),
    (
        _v("INCOMING", "收文", "Received by the committee holding the liaison"),
        _v("OUTGOING", "发文", "Sent by the committee holding the liaison"),
    ),
)

STATEMENT_PURPOSE = EnumDef(
    "StatementPurpose",
    Labels("联络函目的", "Statement purpose"),
    (
        _v("FOR_ACTION", "请采取行动", "For action"),
        _v("FOR_COMMENT", "征求意见", "For comment"),
        _v("FOR_INFORMATION", "供参考", "For information"),
        _v("IN_RESPONSE", "答复", "In response"),
    ),
)

REPLY_STATUS = EnumDef(
    "ReplyStatus",
    Labels("处理状态", "Action status"),
    (
        _v("NOT_REQUIRED", "无需处理", "No action or reply required"),
        _v("AWAITING", "待处理", "Awaiting action or a reply"),
        _v("ACTION_TAKEN", "已处理", "Action taken (without a formal reply)"),
        _v("REPLIED", "已答复", "Replied"),
    ),
)

STATEMENT_STATE = EnumDef(
    "StatementState",
    Labels("联络函状态", "Statement state"),
    (
        _v("DRAFT", "草稿", "Draft (outgoing)"),
        _v("PENDING_APPROVAL", "待批准", "Submitted, pending approval (outgoing)"),
        _v("APPROVED", "已批准", "Approved, not yet sent (outgoing)"),
        # Posted and received name what happened to the statement, which is outgoing for its
        # sender and incoming for its recipients alike: the labels take neither side.
        _v("POSTED", "已发送", "Sent or posted"),
        _v("RECEIVED", "已收到（收文登记）", "Received (logged on arrival)"),
        _v("WITHDRAWN", "已撤回", "Withdrawn"),
    ),
)

CONTACT_ROLE = EnumDef(
    "StatementContactRole",
    Labels("联络函联系人角色", "Statement contact role"),
    (
        _v("SENDER", "发送联系人", "Sender contact"),
        _v("RECIPIENT", "接收联系人", "Recipient contact"),
        _v("RESPONSE", "答复联系人", "Response contact"),
        _v("TECHNICAL", "技术联系人", "Technical contact"),
        _v("ACTION_HOLDER", "行动负责人", "Action holder"),
        _v("CC", "抄送", "Copied (cc)"),
    ),
)

STANDARD_KIND = EnumDef(
    "StandardKind",
    Labels("标准类型", "Standard kind"),
    (
        _v("IS", "国际标准", "International Standard"),
        _v("TS", "技术规范", "Technical Specification"),
        _v("TR", "技术报告", "Technical Report"),
        _v("PAS", "可公开提供规范", "Publicly Available Specification"),
        _v("GUIDE", "指南", "Guide"),
        _v("SERIES", "系列标准", "Multi-part series"),
        _v("ITU_T_RECOMMENDATION", "ITU-T建议书", "ITU-T Recommendation"),
        _v("ITU_T_TECHNICAL_REPORT", "ITU-T技术报告", "ITU-T Technical Report or Paper"),
        _v("FG_DELIVERABLE", "焦点组成果", "Focus group deliverable"),
        _v("IEEE_STANDARD", "IEEE标准", "IEEE standard"),
        _v("ETSI_GS", "ETSI组规范", "ETSI Group Specification"),
        _v("ETSI_GR", "ETSI组报告", "ETSI Group Report"),
        _v("TGPP_TS", "3GPP技术规范", "3GPP Technical Specification"),
        _v("TGPP_TR", "3GPP技术报告", "3GPP Technical Report"),
        _v("GB", "强制性国家标准", "Mandatory national standard (GB)"),
        _v("GB_T", "推荐性国家标准", "Recommended national standard (GB/T)"),
        _v("GB_Z", "国家标准化指导性技术文件", "National guidance technical document (GB/Z)"),
        _v("SJ_T", "电子行业推荐性标准", "Electronics industry standard (SJ/T)"),
        _v("YD_T", "通信行业推荐性标准", "Telecommunications industry standard (YD/T)"),
        _v("GY_T", "广播电影电视行业推荐性标准", "Radio, film and TV industry standard (GY/T)"),
        _v("INDUSTRY_STANDARD", "行业标准", "Other Chinese industry standard"),
        _v("GROUP_STANDARD", "团体标准", "Group standard (T/…)"),
        _v("OTHER", "其他", "Other"),
    ),
)

PROJECT_KIND = EnumDef(
    "ProjectKind",
    Labels("项目类型", "Project kind"),
    (
        _v("PWI", "预工作项目", "Preliminary work item"),
        _v("NP", "新工作项目", "New work item proposal"),
        _v("PAR", "IEEE项目授权申请", "IEEE Project Authorization Request"),
        _v("NATIONAL_PLAN", "国家标准计划项目", "National standard plan project"),
        _v("INDUSTRY_PLAN", "行业标准计划项目", "Industry standard plan project"),
        _v("PRE_RESEARCH", "标准预研项目", "Pre-research project"),
        _v("ITU_T_WORK_ITEM", "ITU-T工作项目", "ITU-T work item"),
        _v("OTHER", "其他", "Other"),
    ),
)

ADOPTION_DEGREE = EnumDef(
    "AdoptionDegree",
    Labels("采用程度", "Degree of correspondence"),
    (
        _v("IDT", "等同采用", "Identical (IDT)", "ISO/IEC Guide 21-1: identical adoption."),
        _v("MOD", "修改采用", "Modified (MOD)", "ISO/IEC Guide 21-1: modified adoption."),
        _v("NEQ", "非等效采用", "Not equivalent (NEQ)", "ISO/IEC Guide 21-1: not equivalent."),
    ),
)

MIRROR_EVIDENCE = EnumDef(
    "MirrorEvidence",
    Labels("对口关系依据", "Counterpart evidence"),
    (
        _v("STATED", "明确声明", "Stated by a source"),
        _v("ADOPTION_PRACTICE", "采标实践", "Inferred from adoption practice"),
        _v("NAME_MATCH", "名称对应", "Inferred from matching names and scopes"),
    ),
)

CONCEPT_KIND = EnumDef(
    "ConceptKind",
    Labels("概念类型", "Concept kind"),
    (
        _v("DEMAND_DIRECTION", "标准化需求方向", "Standardization demand direction"),
        _v("TOPIC", "标准化主题", "Standardization topic"),
        _v("TECHNOLOGY", "技术", "Technology"),
        _v("APPLICATION_DOMAIN", "应用领域", "Application domain"),
        _v("SCENE", "应用场景", "Application scene"),
        _v("GOVERNANCE", "治理与伦理", "Governance and ethics topic"),
        _v("RISK", "风险", "Risk"),
        _v("TERM", "术语", "Defined term"),
        _v(
            "CLASSIFICATION",
            "分类类目",
            "Classification class",
            "A class of a classification such as the International Classification for Standards (ICS).",
        ),
    ),
)

DOCUMENT_KIND = EnumDef(
    "DocumentKind",
    Labels("文件类型", "Document kind"),
    (
        _v("OUTLINE", "纲要", "Outline"),
        _v("IMPLEMENTATION_PLAN", "实施方案", "Implementation plan"),
        _v("ACTION_PLAN", "行动计划", "Action plan"),
        _v("GUIDELINE", "指南", "Guideline"),
        _v("PROPOSAL", "筹建方案/申请", "Proposal or application"),
        _v("REPORT", "研究报告", "Report"),
        _v("NOTICE", "通知/公示", "Notice"),
        _v("ROADMAP", "路线图", "Roadmap"),
    ),
)

PLAN_KIND = EnumDef(
    "PlanKind",
    Labels("计划条目类型", "Plan item kind"),
    (
        _v("RATIONALE", "必要性", "Rationale"),
        _v("SCOPE", "工作范围", "Scope item"),
        _v("WORK_PLAN", "工作计划", "Work-plan item"),
    ),
)

SOURCE_RELIABILITY = EnumDef(
    "SourceReliability",
    Labels("来源可靠性", "Source reliability"),
    (
        _v("PRIMARY", "一手来源", "Primary or official source (V)"),
        _v("SECONDARY", "可靠二手来源", "Reputable secondary source (S)"),
    ),
)


STANDARD_LEVEL = EnumDef(
    "StandardLevel",
    Labels("书目层级", "Bibliographic level"),
    (
        _v("SERIES", "系列", "Series", "A multi-part series (ISO/IEC 23005)."),
        _v("WORK", "标准", "Work", "The standard across its editions (ISO/IEC 23005-1)."),
        _v("EDITION", "版本", "Edition", "One published edition (ISO/IEC 23005-1:2020)."),
        _v("DRAFT", "草案", "Draft", "A draft of a future edition (DIS, FDIS, IEEE Pxxx/Dn)."),
        _v("AMENDMENT", "修正案", "Amendment", "An amendment or addendum to an edition."),
        _v("CORRIGENDUM", "勘误", "Corrigendum", "A technical corrigendum or erratum."),
        _v("SUPPLEMENT", "补充件", "Supplement", "A supplement, redline or other companion."),
    ),
)


def _stage(code: str, zh: str, en: str) -> EnumValue:
    # Value names are the codes spelt as identifiers (GraphQL enum values cannot start with a
    # digit); `stage_value` maps a stored stageCode such as "60.60" to its value.
    return _v(f"S{code.replace('.', '_')}", zh, en, definition_en=f"Harmonized stage code {code}.")


HARMONIZED_STAGE = EnumDef(
    "HarmonizedStage",
    Labels("协调阶段代码", "Harmonized stage code"),
    (
        _stage("00.00", "收到新项目提案", "Proposal for new project received"),
        _stage("00.20", "新项目提案审查中", "Proposal for new project under review"),
        _stage("00.60", "新项目提案审查结束", "Close of review"),
        _stage("00.98", "新项目提案终止", "Proposal for new project abandoned"),
        _stage("00.99", "批准对新项目提案投票", "Approval to ballot proposal for new project"),
        _stage("10.00", "新项目提案登记", "Proposal for new project registered"),
        _stage("10.20", "新项目投票开始", "New project ballot initiated"),
        _stage("10.60", "新项目投票结束", "Close of voting"),
        _stage(
            "10.92",
            "提案退回提交方进一步明确",
            "Proposal returned to submitter for further definition",
        ),
        _stage("10.98", "新项目被否决", "New project rejected"),
        _stage("10.99", "新项目获批准", "New project approved"),
        _stage("20.00", "新项目列入工作计划", "New project registered in TC/SC work programme"),
        _stage("20.20", "工作草案研究开始", "Working draft (WD) study initiated"),
        _stage("20.60", "工作草案意见征集结束", "Close of comment period"),
        _stage("20.98", "项目撤销（准备阶段）", "Project deleted"),
        _stage("20.99", "工作草案批准登记为委员会草案", "WD approved for registration as CD"),
        _stage("30.00", "委员会草案登记", "Committee draft (CD) registered"),
        _stage("30.20", "委员会草案研究/投票开始", "CD study/ballot initiated"),
        _stage("30.60", "委员会草案投票/意见征集结束", "Close of voting/comment period"),
        _stage("30.92", "委员会草案退回工作组", "CD referred back to working group"),
        _stage("30.98", "项目撤销（委员会阶段）", "Project deleted"),
        _stage("30.99", "委员会草案批准登记为DIS", "CD approved for registration as DIS"),
        _stage("40.00", "国际标准草案登记", "DIS registered"),
        _stage("40.20", "国际标准草案投票开始", "DIS ballot initiated"),
        _stage("40.60", "国际标准草案投票结束", "Close of voting"),
        _stage("40.92", "DIS退回TC/SC", "Full report circulated: DIS referred back to TC or SC"),
        _stage(
            "40.93", "决定重新进行DIS投票", "Full report circulated: decision for new DIS ballot"
        ),
        _stage("40.98", "项目撤销（征询意见阶段）", "Project deleted"),
        _stage(
            "40.99",
            "DIS批准登记为FDIS",
            "Full report circulated: DIS approved for registration as FDIS",
        ),
        _stage("50.00", "最终草案登记待正式批准", "FDIS registered for formal approval"),
        _stage(
            "50.20",
            "最终草案投票开始/校样送秘书处",
            "FDIS ballot initiated; proof sent to secretariat",
        ),
        _stage(
            "50.60",
            "最终草案投票结束/秘书处返回校样",
            "Close of voting; proof returned by secretariat",
        ),
        _stage("50.92", "最终草案退回TC/SC", "FDIS or proof referred back to TC or SC"),
        _stage("50.98", "项目撤销（批准阶段）", "Project deleted"),
        _stage("50.99", "最终草案批准出版", "FDIS or proof approved for publication"),
        _stage("60.00", "国际标准出版中", "International Standard under publication"),
        _stage("60.60", "国际标准已出版", "International Standard published"),
        _stage("90.00", "国际标准复审中", "International Standard under periodical review"),
        _stage("90.20", "国际标准系统复审中", "International Standard under systematic review"),
        _stage("90.60", "复审结束", "Close of review"),
        _stage("90.92", "国际标准待修订", "International Standard to be revised"),
        _stage("90.93", "国际标准确认有效", "International Standard confirmed"),
        _stage(
            "90.99",
            "TC/SC提议撤销国际标准",
            "Withdrawal of International Standard proposed by TC or SC",
        ),
        _stage("95.20", "撤销投票开始", "Withdrawal ballot initiated"),
        _stage("95.60", "撤销投票结束", "Close of voting"),
        _stage("95.92", "决定不撤销国际标准", "Decision not to withdraw International Standard"),
        _stage("95.99", "国际标准已撤销", "Withdrawal of International Standard"),
    ),
)


# A harmonized stage code (60.60) or its first two digits (60, the whole stage).
STAGE_PREFIX = r"\d{2}(\.\d{2})?"


def stage_value(code: str) -> EnumValue | None:
    """The HarmonizedStage value of a stage code such as "60.60", or None if it has none."""
    name = f"S{code.replace('.', '_')}"
    return next((v for v in HARMONIZED_STAGE.values if v.name == name), None)


ENUMS: tuple[EnumDef, ...] = (
    ORGANIZATION_KIND,
    COMMITTEE_KIND,
    BODY_STATUS,
    POST_ROLE,
    POST_STATUS,
    LIAISON_CATEGORY,
    LIAISON_STATUS,
    LIAISON_SIDE,
    MEMBERSHIP_TYPE,
    MEMBERSHIP_STATUS,
    ESTABLISHMENT_ROLE,
    STATEMENT_DIRECTION,
    STATEMENT_PURPOSE,
    REPLY_STATUS,
    STATEMENT_STATE,
    CONTACT_ROLE,
    STANDARD_KIND,
    PROJECT_KIND,
    ADOPTION_DEGREE,
    MIRROR_EVIDENCE,
    CONCEPT_KIND,
    DOCUMENT_KIND,
    PLAN_KIND,
    SOURCE_RELIABILITY,
    STANDARD_LEVEL,
    HARMONIZED_STAGE,
)

# Which deliverables are domestic (Chinese) rather than international — the two sides of the
# delegates' mapping and gap analysis.
DOMESTIC_STANDARD_KINDS: frozenset[str] = frozenset(
    {"GB", "GB_T", "GB_Z", "SJ_T", "YD_T", "GY_T", "INDUSTRY_STANDARD", "GROUP_STANDARD"}
)
DOMESTIC_PROJECT_KINDS: frozenset[str] = frozenset(
    {"NATIONAL_PLAN", "INDUSTRY_PLAN", "PRE_RESEARCH"}
)


# The International Classification for Standards as concepts: one per class, each BROADER
# its parent class (35.240.01 → 35.240 → 35), in one scheme.
ICS_SCHEME = "scheme-ics"
ICS_CODE = r"\d{2}(\.\d{3}(\.\d{2})?)?"


def ics_key(code: str) -> str:
    """The concept key of an ICS class code (`35.240` → `ics-35.240`)."""
    return f"ics-{code}"
