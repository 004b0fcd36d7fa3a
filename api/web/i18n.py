"""The workspace's two languages: which one a request wants, and the interface's own words.

Names of classes, properties, relationships and vocabulary values are not here: they come with
zh/en labels from the ontology.
"""

from __future__ import annotations

from typing import Literal

from starlette.requests import Request

from api.negotiation import ranked

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LANG_COOKIE = "mskg_lang"

# key → (zh, en)
WORDS: dict[str, tuple[str, str]] = {
    "app": ("元宇宙标准知识图谱", "Metaverse Standards Knowledge Graph"),
    "search": ("检索", "Search"),
    "search_placeholder": (
        "名称、简称或编号，如 区块链、SC 24",
        "name, short name or designation, e.g. blockchain, SC 24",
    ),
    "all_types": ("全部类型", "All types"),
    "search_within": ("检索语言", "Search in"),
    "both_languages": ("中英文", "Chinese and English"),
    "results": ("结果", "results"),
    "no_results": ("没有匹配的条目。", "Nothing matches."),
    "matched": ("匹配字段", "matched"),
    "liaisons": ("联络工作台", "Liaisons"),
    "liaison_relations": ("联络关系", "Liaisons"),
    "rollup_on": (
        "含下属工作组的联络关系（另有 {n} 项）",
        "Include the liaisons of the groups beneath it ({n} more)",
    ),
    "rollup_off": ("仅显示本机构的联络关系", "Show only its own liaisons"),
    "mapping": ("国内外对应", "Mapping & gaps"),
    "graph": ("图谱浏览", "Graph explorer"),
    "proposals": ("待审提案", "Proposals"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "signed_in_as": ("已登录", "Signed in as"),
    "token": ("API 令牌", "API token"),
    "token_help": (
        "管理员用 `mskg user add 名称 --role contributor|editor|admin` 生成的令牌（mskg_…）。",
        "The token an admin created with `mskg user add NAME --role contributor|editor|admin` (mskg_…).",
    ),
    "bad_token": (
        "令牌无效或已吊销，请向管理员申请新令牌。",
        "The token is not valid or was revoked; ask an admin for a new one.",
    ),
    "csrf_failed": (
        "表单已过期（安全校验未通过），请重新加载页面后再提交。",
        "The form has expired (security check failed); reload the page and submit again.",
    ),
    "properties": ("属性", "Properties"),
    "relations": ("关系", "Relations"),
    "outgoing": ("指向", "outgoing"),
    "incoming": ("被指向", "incoming"),
    "sources": ("来源", "Sources"),
    "more_changes": ("……另有 {n} 项更改", "… and {n} more changes"),
    "older_revisions": ("更早的修订（最多 100 次）", "Older revisions (up to 100)"),
    "work_editions": ("作品与版本", "The work and its editions"),
    "work": ("作品", "Work"),
    "this_page": ("本页", "this page"),
    "current": ("现行", "current"),
    "not_current": ("非现行", "not current"),
    "edition_no": ("版次", "Edition"),
    "withdrawn": ("废止", "Withdrawn"),
    "all_editions": ("全部版本", "all editions"),
    "drafts": ("下一版草案", "Drafts of the next edition"),
    "draft_of": ("所属作品", "Draft of"),
    "stage_history": ("阶段历史", "Stage history"),
    "reached": ("日期", "Reached"),
    "native_stage": ("原阶段名称", "As the body names it"),
    "lineage": ("代替、修订、修正与更正", "Replaces, revises, amends, corrects"),
    "adoptions": ("采用关系", "Adoptions"),
    "adopts": ("采用", "adopts"),
    "adopted_by": ("被采用", "adopted by"),
    "edition_adopted": ("所采用版本", "Edition adopted"),
    "replaced_by": ("已被代替：", "replaced by"),
    "history": ("修订历史", "Revision history"),
    "no_history": ("没有修订记录。", "No revisions."),
    "rdf": ("RDF (Turtle)", "RDF (Turtle)"),
    "rdf_forms": ("本条目的 RDF", "This entity as RDF"),
    "sparql_intro": (
        "以 SPARQL 1.1 查询整个图谱的公开视图（只读；不含联系方式）。也可下载",
        "Query the public view of the whole graph with SPARQL 1.1 (read-only; no contact details). Or take it away:",
    ),
    "examples": ("示例查询", "Example queries"),
    "hide_concepts": ("不经过主题概念", "Leave out topic concepts"),
    "all_stages": ("全部阶段", "All stages"),
    "kind": ("类型", "Kind"),
    "all_kinds": ("全部类型", "All kinds"),
    "year": ("年份", "Year"),
    "sort_by": ("排序", "Sort by"),
    "sort_designation": ("编号", "designation"),
    "sort_newest": ("最新在前", "newest first"),
    "sort_key": ("键", "key"),
    "name": ("名称", "Name"),
    "designation": ("编号", "Designation"),
    "apply_filters": ("按所选关系重画", "Redraw with the kinds chosen"),
    "ontology": ("本体（OWL）", "the ontology (OWL)"),
    "whole_graph": ("整个图谱（N-Triples）", "the whole graph (N-Triples)"),
    "edit": ("编辑", "Edit"),
    "explore": ("在图谱中查看", "Explore in the graph"),
    "version": ("版本", "version"),
    "by": ("修改人", "by"),
    "approved_by": ("批准人", "approved by"),
    "field": ("字段", "Field"),
    "before": ("修改前", "Before"),
    "after": ("修改后", "After"),
    "truncated": ("关系过多，仅显示一部分。", "Too many relations; only some are shown."),
    "related_all": ("逐页查看全部", "page through all"),
    "related_total": ("共 {n} 项", "{n} in all"),
    "next_page": ("下一页", "Next page"),
    "previous_page": ("上一页", "Previous page"),
    "shown_of": ("第 {a}–{b} 条，共 {n} 条", "{a}–{b} of {n}"),
    "shown_of_more": ("第 {a}–{b} 条，共 {n} 条以上", "{a}–{b} of more than {n}"),
    "first_page": ("第一页", "First page"),
    "not_found": ("没有这个条目", "No such entity"),
    "committee": ("机构", "Body"),
    "choose_committee": ("选择一个委员会或组织", "Choose a committee or organization"),
    "show": ("显示", "Show"),
    "category": ("类别", "Category"),
    "status": ("状态", "Status"),
    "partner": ("联络对方", "Counterpart"),
    "holder": ("发起方", "Holder"),
    "contacts": ("联络人", "Contacts"),
    "next_deadline": ("下一截止日期", "Next deadline"),
    "last_exchange": ("最近往来", "Last exchange"),
    "statements": ("联络函", "Statements"),
    "inbox": ("收文", "Inbox"),
    "outbox": ("发文", "Outbox"),
    "awaiting": ("待办（逾期在前）", "Awaiting action (overdue first)"),
    "deadline": ("截止日期", "Deadline"),
    "overdue": ("已逾期", "overdue"),
    "issued": ("日期", "Issued"),
    "from": ("发文方", "From"),
    "to": ("收文方", "To"),
    "state": ("状态", "State"),
    "exchanges": ("往来记录", "Exchanges with"),
    "nothing": ("无", "None"),
    "hidden_contact": ("（登录后可见联系方式）", "(sign in to see contact details)"),
    "domestic": ("国内标准/项目", "Domestic"),
    "international": ("国际标准/项目", "International"),
    "degree": ("采用程度", "Degree"),
    "stage": ("阶段", "Stage"),
    "concept_area": ("概念领域", "Concept area"),
    "any_area": ("全部领域", "All areas"),
    "filter": ("筛选", "Filter"),
    "committee_key": ("委员会（键）", "Committee (key)"),
    "ics_code": ("ICS 分类号", "ICS class"),
    "whole_catalogue": ("含目录中全部条目", "Whole catalogues"),
    "whole_catalogue_help": (
        "默认只列出与主题概念相关联的目录条目",
        "By default only catalogue items linked to a topic concept are listed",
    ),
    "download_csv": ("下载 CSV", "Download CSV"),
    "gaps_intl": ("有国际标准、无国内对应", "International without domestic"),
    "gaps_dom": ("有国内标准、无国际对应", "Domestic without international"),
    "entity_key": ("条目键", "Entity key"),
    "depth": ("深度", "Depth"),
    "path_from": ("起点", "From"),
    "path_to": ("终点", "To"),
    "shortest_path": ("最短连接", "Shortest connection"),
    "neighbourhood": ("邻域", "Neighbourhood"),
    "legend": ("关系图例", "Relation kinds"),
    "graph_help": (
        "点击节点展开其邻域；双击打开条目页。",
        "Click a node to expand its neighbourhood; double-click to open its page.",
    ),
    "no_path": ("在给定跳数内没有连接。", "No connection within the given number of hops."),
    "save": ("保存", "Save"),
    "save_anyway": ("用我的值覆盖", "Save my values over theirs"),
    "comment": ("修改说明", "Comment"),
    "source_url": ("来源网址", "Source URL"),
    "source_title": ("来源标题", "Source title"),
    "cancel": ("取消", "Cancel"),
    "saved": ("已保存为第 {seq} 号修订。", "Saved as revision {seq}."),
    "unchanged": ("没有改动。", "Nothing changed."),
    "proposed": (
        "已提交提案 {id}，待编辑审核。",
        "Proposal {id} submitted for an editor's review.",
    ),
    "invalid": (
        "有字段未通过校验，请查看各字段旁的说明。",
        "Some fields are not valid; see the messages beside them.",
    ),
    "conflict": (
        "其他人已在您编辑期间修改了此条目（当前版本 {current}，您编辑的是版本 {yours}）。",
        "Someone else changed this entity while you were editing (now version {current}; you edited version {yours}).",
    ),
    "their_change": ("对方的修改", "Their change"),
    "current_value": ("当前值", "Current value"),
    "your_value": ("您的值", "Your value"),
    "need_sign_in": ("编辑需要登录。", "Editing needs a sign-in."),
    "forbidden": ("您的账号没有此权限。", "Your account may not do this."),
    "approve": ("批准", "Approve"),
    "reject": ("拒绝", "Reject"),
    "reason": ("理由", "Reason"),
    "author": ("提交人", "Author"),
    "steps": ("改动", "Changes"),
    "no_proposals": ("没有待审提案。", "No pending proposals."),
    "approved": ("提案已批准，生成修订 {seq}。", "Proposal approved as revision {seq}."),
    "rejected": ("提案已拒绝。", "Proposal rejected."),
    "lines_help": ("每行一个", "one per line"),
    "partial_date_help": ("年、年-月或年-月-日", "year, year-month or year-month-day"),
    "required": ("必填", "required"),
    "not_integer": ("应为整数", "must be a whole number"),
    "not_number": ("应为数字", "must be a number"),
    "empty": ("（空）", "(empty)"),
    "unavailable": ("数据库暂不可用：", "The database is not available: "),
}


# The stages of the harmonized stage codes, by their first two digits (ISO/IEC Directives).
STAGE_GROUPS: dict[str, tuple[str, str]] = {
    "00": ("预备阶段", "Preliminary"),
    "10": ("提案阶段", "Proposal"),
    "20": ("准备阶段", "Preparatory"),
    "30": ("委员会阶段", "Committee"),
    "40": ("征询意见阶段", "Enquiry"),
    "50": ("批准阶段", "Approval"),
    "60": ("出版阶段", "Publication"),
    "90": ("复审阶段", "Review"),
    "95": ("废止阶段", "Withdrawal"),
}


def stage_group(code: str, lang: Lang) -> str:
    zh, en = STAGE_GROUPS.get(code[:2], (code, code))
    return zh if lang == "zh" else en


def word(key: str, lang: Lang) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def request_lang(request: Request) -> Lang:
    """`?lang=` first (so a shared link shows its language), then the cookie, then the browser."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGS:
            return "zh" if candidate == "zh" else "en"
    for tag in ranked(request.headers.get("accept-language", "")):
        primary = tag.partition("-")[0]
        if primary in LANGS:
            return "zh" if primary == "zh" else "en"
    return "en"


def pick(text: dict[str, str | None] | None, lang: Lang) -> str:
    """The text in `lang`, else in the other language, else empty."""
    if not text:
        return ""
    other: Lang = "en" if lang == "zh" else "zh"
    return text.get(lang) or text.get(other) or ""
