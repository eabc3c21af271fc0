"""The structure parser, stage by stage (see ``reportlens.structure``), then as a whole: the gold seeds, the
real corpora, texts without structure. Stage tests are tables of real lines (seeds, corpora) and short texts
of their own; the pattern cases of ../shared/gold/patterns.json are in test_patterns.py."""

from __future__ import annotations

import itertools

import pytest
from conftest import CORPORA, SEEDS, corpus_rows, require_shared

from reportlens.normalize import normalize_text
from reportlens.structure import parse_outline
from reportlens.structure.candidates import find_candidates, numeral
from reportlens.structure.canon import canonical_view
from reportlens.structure.classify import Part, assign_roles, named_role, profile
from reportlens.structure.corrections import ROLE, Correction
from reportlens.structure.hierarchy import build_hierarchy, choose_layer, run_of
from reportlens.structure.items import inline_items, prose_items, resolve_start, semicolon_items, short_title
from reportlens.structure.paragraphs import find_zones, split_paragraphs
from reportlens.structure.passages import cue_of, lead_end


def seed_text(name: str) -> str:
    path = next(SEEDS.glob(f"{name}*.txt"))
    return normalize_text(path.read_text(encoding="utf-8"))


def zones_of(text: str):
    return find_zones(split_paragraphs(text, canonical_view(text)))


def candidates_of(text: str):
    return find_candidates(zones_of(text))


# ---- canonical view ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("部分企业台账不全;个别企业通道堵塞", "部分企业台账不全；个别企业通道堵塞"),
        ("(一)加强组织领导,压实工作责任", "（一）加强组织领导，压实工作责任"),
        ("二、存在的問題", "二、存在的问题"),
        ("我們的工作還存在不少問題：", "我们的工作还存在不少问题："),
        ("增长2.5%，PM2.5浓度下降", "增长2.5%，PM2.5浓度下降"),  # decimals and full-width marks stay
    ],
)
def test_canonical_view_maps_punctuation_and_traditional_characters(text: str, view: str) -> None:
    assert canonical_view(text) == view
    assert len(canonical_view(text)) == len(text)


def test_canonical_view_of_every_corpus_text_keeps_its_length() -> None:
    for path, _ in corpus_rows()[::5]:
        text = normalize_text(path.read_text(encoding="utf-8"))
        assert len(canonical_view(text)) == len(text)


# ---- paragraphs and zones ---------------------------------------------------------------------------------------


def test_zones_set_apart_header_closing_and_appendix() -> None:
    text = "\n".join(
        [
            "关于安全生产检查情况的报告",  # title
            "来源：某某日报",  # page metadata
            "各位代表：",
            "今年以来，我县扎实开展安全生产检查，共检查企业42家。",  # the body starts
            "一、存在问题",
            "部分企业台账不全。",
            "特此报告。",  # closing
            "某某县人民政府",
            "2023年12月5日",
        ]
    )
    zones = zones_of(text)
    body = [p.text for p in zones.body]
    assert body[0].startswith("今年以来") and body[-1] == "部分企业台账不全。"
    assert zones.appendix_start == len(zones.paragraphs)


def test_appendix_starts_at_its_heading() -> None:
    text = "一、工作回顾\n完成了任务。\n二、重点工作\n（一）办好民生实事。\n附件\n2026年民生实事\n1.新增托育位500个。"
    zones = zones_of(text)
    assert zones.paragraphs[zones.appendix_start].text == "附件"
    assert all("托育" not in p.text for p in zones.body)


def test_paragraph_offsets_point_into_the_text() -> None:
    text = seed_text("001")
    for p in split_paragraphs(text, canonical_view(text)):
        assert text[p.start : p.end] == p.text


# ---- heading candidates -----------------------------------------------------------------------------------------

# Real heading lines (seeds and corpora) → style, number, heading (marker kept, first sentence only).
HEADING_LINES = [
    ("一、工作开展情况", "cn", 1, "一、工作开展情况"),
    ("三、下一步工作打算", "cn", 3, "三、下一步工作打算"),
    ("一、2025年工作回顾", "cn", 1, "一、2025年工作回顾"),  # a year right after the marker
    (
        "一、提高思想认识，压实工作责任，把贯彻执行中央八项规定精神落到实处。为进一步严明政治纪律和政治规矩，",
        "cn", 1, "一、提高思想认识，压实工作责任，把贯彻执行中央八项规定精神落到实处",
    ),
    ("十二、关于外交工作", "cn", 12, "十二、关于外交工作"),
    ("（一）“六查”", "paren_cn", 1, "（一）“六查”"),
    ("（二）干事创业作风方面。", "paren_cn", 2, "（二）干事创业作风方面"),
    ("(四)加强党风廉政建设,促进工作作风转变", "paren_cn", 4, "(四)加强党风廉政建设,促进工作作风转变"),
    ("（十四）全面加强政府自身建设", "paren_cn", 14, "（十四）全面加强政府自身建设"),
    ("1、提高政治站位，强化组织领导。为了将党风廉政建设工作落到实处，", "arabic", 1, "1、提高政治站位，强化组织领导"),
    ("3．深化市场监管提升底线工作效能。作为文化监管职能部门", "arabic", 3, "3．深化市场监管提升底线工作效能"),
    ("（2）完善考核机制。", "paren_arabic", 2, "（2）完善考核机制"),
    ("②加强督导检查", "circled", 2, "②加强督导检查"),
    ("第一，全国动员，大办农业", "ordinal", 1, "第一，全国动员，大办农业"),
    ("第八，推进祖国和平统一大业", "ordinal", 8, "第八，推进祖国和平统一大业"),
    ("一查立场是否坚定方面。1、为了对习近平新时代中国特色社会主义思想学懂弄通，", "cha", 1, "一查立场是否坚定方面"),
    ("四是提质增效，同频共振。以党风廉政建设工作活动开展为抓手，", "shi", 4, "四是提质增效，同频共振"),
]


@pytest.mark.parametrize(("line", "style", "number", "heading"), HEADING_LINES)
def test_numbered_heading_lines(line: str, style: str, number: int, heading: str) -> None:
    found = candidates_of(line)
    assert found and (found[0].style, found[0].number, found[0].heading) == (style, number, heading)


@pytest.mark.parametrize(
    "line",
    [
        "2.5",  # a decimal split off a line (Guangdong), not an item
        "我们通过建立健全规范“三会一课”各类学习管理制度，",
        "下一步，针对问题我局将结合自身工作实际和行业特点，做好以下几点工作。",
    ],
)
def test_body_lines_are_not_candidates(line: str) -> None:
    text = f"现将有关情况报告如下：\n{line}\n今年以来，我们完成了各项工作任务。"
    assert not [c for c in candidates_of(text) if c.paragraph == 1]


def test_inline_run_on_a_heading_line_yields_one_candidate_per_member() -> None:
    text = "三、下一步工作打算\n一是加强学习，提高认识。要深入学习。二是强化担当，落实责任。要压实责任。三是抓早抓小，严守规矩。"
    found = [c for c in candidates_of(text) if c.style == "shi"]
    assert [(c.number, c.title, c.inline) for c in found] == [
        (1, "加强学习，提高认识", False), (2, "强化担当，落实责任", True), (3, "抓早抓小，严守规矩", True),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("lines", "bare"),
    [
        (["现在，我代表市人民政府向大会报告工作。", "过去一年工作回顾", "过去一年，全市生产总值增长5.5%。"], True),
        (["现在，我代表市人民政府向大会报告工作。", "结束语", "各位代表："], True),  # a bookend
        # a phrase a source split out of its sentence (Guangdong's 「主要目标」) follows an unfinished line
        (["今后五年经济社会发展的", "主要目标", "是：地区生产总值年均增长5%左右。"], False),
        # a short line with no part-title word
        (["现在，我代表市人民政府向大会报告工作。", "春风化雨", "过去一年，全市生产总值增长5.5%。"], False),
    ],
)
def test_unnumbered_part_titles(lines: list[str], bare: bool) -> None:
    found = [c for c in candidates_of("\n".join(lines)) if c.style == "bare"]
    assert bool(found) is bare


@pytest.mark.parametrize(("value", "number"), [("一", 1), ("十", 10), ("十二", 12), ("二十一", 21), ("12", 12), ("③", 3), ("甲", 0)])
def test_numeral(value: str, number: int) -> None:
    assert numeral(value) == number


# ---- hierarchy --------------------------------------------------------------------------------------------------


def test_a_run_continues_one_two_three_and_skips_a_restart() -> None:
    text = "一、甲\n内容。\n一、子一\n二、子二\n二、乙\n内容。\n三、丙\n内容。"
    run = run_of([c for c in candidates_of(text) if c.style == "cn"])
    assert [c.heading for c in run] == ["一、甲", "二、子二", "三、丙"] or [c.number for c in run] == [1, 2, 3]


def test_the_layer_is_the_run_that_starts_first_not_a_fixed_marker_order() -> None:
    # （一） spans the report; 第一、 inside one part is a level below it (State Council 1958 form)
    text = "\n".join(
        [
            "各位代表：",
            "（一）去年计划执行情况",
            "去年计划基本完成。",
            "（二）今年计划安排",
            "第一、关于农业",
            "粮食产量计划增长3%。",
            "第二、关于工业",
            "工业产值计划增长8%。",
            "（三）切实改进工作作风",
            "要深入基层调查研究。",
        ]
    )
    nodes = build_hierarchy(candidates_of(text), len(text))
    assert [n.head.heading for n in nodes] == ["（一）去年计划执行情况", "（二）今年计划安排", "（三）切实改进工作作风"]
    assert [c.head.heading for c in nodes[1].children] == ["第一、关于农业", "第二、关于工业"]


def test_a_line_start_member_without_its_predecessor_heads_nothing() -> None:
    # 「第一，」 is inline: a line-start 「第二，」 alone is body text and must not take （二） under it
    text = "二、今年主要任务\n（一）稳定粮食生产。\n要落实补贴。第一，提高标准。\n第二，扩大保险。\n（二）加强安全生产。\n要排查隐患。"
    members = choose_layer([c for c in candidates_of(text) if c.style != "cn"], len(text))
    assert [c.heading for c in members] == ["（一）稳定粮食生产", "（二）加强安全生产"]


def test_unnumbered_part_titles_are_the_top_when_they_come_first() -> None:
    text = "\n".join(
        [
            "各位代表：",
            "现在，我代表省人民政府向大会报告工作。",
            "过去五年工作回顾",
            "五年来，全省经济总量连跨两个台阶。",
            "2026年重点工作",
            "今年重点抓好两个方面工作：",
            "一、扩大有效需求",
            "要落实好各项促消费政策。",
            "二、加快产业升级",
            "要推动传统产业转型。",
        ]
    )
    nodes = build_hierarchy(candidates_of(text), len(text))
    assert [n.head.heading for n in nodes] == ["过去五年工作回顾", "2026年重点工作"]
    assert [c.head.heading for c in nodes[1].children] == ["一、扩大有效需求", "二、加快产业升级"]


def test_bookends_stand_beside_the_numbered_parts() -> None:
    text = "\n".join(
        ["各位代表：", "首先回顾去年的工作", "去年经济平稳增长。", "一、扩大内需", "要提高收入。", "二、发展农业", "要稳定粮食。", "结束语", "让我们团结奋斗！"]
    )
    nodes = build_hierarchy(candidates_of(text), len(text))
    assert [n.head.heading for n in nodes] == ["首先回顾去年的工作", "一、扩大内需", "二、发展农业", "结束语"]


# ---- roles ------------------------------------------------------------------------------------------------------

ROLE_TITLES = [
    ("工作开展情况", "achievements"),
    ("前期工作主要成绩", "achievements"),
    ("2024年工作回顾", "achievements"),
    ("首先报告2001年的工作", "achievements"),
    ("存在的主要问题", "problems"),
    ("存在的问题与不足", "problems"),
    ("检查发现的问题", "problems"),
    ("存在的困难", "problems"),
    ("短板弱项", "problems"),
    ("下一步工作打算", "measures"),
    ("整改措施", "measures"),
    ("下一步努力方向", "measures"),
    ("几点建议", "measures"),
    ("对今年政府工作的建议", "measures"),
    ("今年工作总体部署", "measures"),
    ("2011年的工作", "measures"),
    ("2025年政府工作任务", "measures"),
    ("2026年重点工作", "measures"),
    ("“十五五”时期目标任务和2026年工作安排", "measures"),  # the year's plan outweighs the targets
    ("“十五五”时期的主要目标和重点任务", "goals"),
    ("2024年经济社会发展总体要求和政策取向", "goals"),
    ("“十五五”发展的主要考虑", "goals"),
    ("几点体会", "other"),
    ("关于国际形势和外交工作", "other"),
    ("加强政府自身建设", "other"),
    ("结束语", "other"),
    ("第一个五年计划的若干问题", None),  # topics, not problems
    ("真抓实纠实改，强化问题整改，严明纪律规矩", None),  # 问题 inside a task
    ("提高思想认识，压实工作责任", None),
]


@pytest.mark.parametrize(("title", "role"), ROLE_TITLES)
def test_role_a_heading_names(title: str, role: str | None) -> None:
    found = named_role(canonical_view(title))
    assert (found[0] if found else None) == role


@pytest.mark.parametrize(
    ("text", "tense"),
    [
        ("组织观看警示教育片2次，开展廉政谈话46人次。局党组召开专题会议3次。", "done"),
        ("为确保安全，我局开展了专项检查。", "done"),  # 「了」 marks what was done
        ("今年要继续实施扩大内需战略，力争全年完成固定资产投资增长6%。", "planned"),
        ("要深化国资国企改革，持续优化营商环境。", "planned"),
        ("这项工作十分重要，主要是加强协调。", "neither"),  # 「重要」「主要」 plan nothing
    ],
)
def test_body_tense(text: str, tense: str) -> None:
    found = profile(text)
    assert ("done" if found.done > found.planned else "planned" if found.planned > found.done else "neither") == tense


def test_unnamed_parts_take_their_role_from_announcement_body_and_order() -> None:
    review = Part("2025年工作回顾", "过去一年，全市生产总值增长5.4%，完成了年度目标。", 0, False)
    planned = Part("稳定经济增长", "今年要继续实施扩大内需战略，力争投资增长6%。", 0, False)
    announced = Part("稳住工业基本盘", "落实稳增长政策，支持企业扩大产能。", 0, True)
    done_work = Part("提高思想认识，压实工作责任", "局党组召开专题会议3次，研究制定了实施方案。", 0, False)
    assert [d.role for d in assign_roles([review, planned])] == ["achievements", "measures"]
    assert [d.role for d in assign_roles([announced])] == ["measures"]
    assert [d.role for d in assign_roles([done_work, done_work])] == ["achievements", "achievements"]


def test_a_part_whose_children_state_problems_lists_problems() -> None:
    part = Part(
        "巡察反馈问题整改落实情况", "……", 2, False,
        child_titles=("关于落实全面从严治党主体责任不到位的问题", "关于选人用人工作不规范的问题"),
    )  # fmt: skip
    assert assign_roles([part])[0].role == "problems"


# ---- un-headed passages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "items_from", "announced"),
    [
        ("同时，我们也清醒认识到，工作中还存在不少问题不足和风险挑战：外部环境变化影响加深；……", "外部环境", True),
        ("在肯定成绩的同时，我们也清醒看到面临的困难和挑战。外需增长乏力。……", "外需增长", True),
        ("在看到成绩的同时，我们也认识到老问题、新挑战仍然不少，主要是外部环境变化影响加深，消费需求依然偏弱。", "外部环境", True),
        ("我们也清醒地看到，外部环境仍然复杂严峻，影响我区经济社会发展的不确定因素增多。", "外部环境", False),
    ],
)
def test_lead_in_ends_at_colon_mainly_generic_sentence_or_cue_clause(paragraph: str, items_from: str, announced: bool) -> None:
    view = canonical_view(paragraph)
    cue_start, cue_end, _ = cue_of(view)
    end, is_announced = lead_end(view, 0, len(view), cue_start, cue_end)
    assert paragraph[end:].startswith(items_from)
    assert is_announced is announced


@pytest.mark.parametrize(
    "paragraph",
    ["我单位不存在超编配备公务用车问题。", "经自查，未发现违规问题。", "机构改革取得了明显进展。"],
)
def test_findings_of_no_problem_are_no_cue(paragraph: str) -> None:
    assert cue_of(canonical_view(paragraph)) is None


# ---- items ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("加强学习，提高认识。进一步加强全局领导班子成员", "加强学习，提高认识"),
        # a first sentence over 40 characters is cut at its first comma (seed 003's 三是……)
        (
            "对党风廉政认识不深，部分党员领导干部缺少将党风廉政建设时刻贯穿于各项文旅业务工作的融合提升意识，"
            "对党风廉政建设在助推业务工作上的重要性和必要性在认识上还不是很到位。",
            "对党风廉政认识不深",
        ),
        # never at an adverbial lead alone
        (
            "近年来，受人员编制和经费等多种因素影响，部分乡镇档案室长期无专人管理，档案资料散失、霉变现象时有发生。",
            "近年来，受人员编制和经费等多种因素影响",
        ),
        ("个别村组保洁人员年龄偏大,日常清扫不够及时,转运车辆老化严重,部分路段仍有积存垃圾现象。", "个别村组保洁人员年龄偏大"),
    ],
)
def test_short_title(text: str, title: str) -> None:
    assert short_title(text, canonical_view(text)) == title


def test_inline_list_stays_in_its_paragraph() -> None:
    text = "（一）加强监管。第一，压实责任。第二，加强抽检。第三，推进智慧监管。\n第四，完善追溯体系。年内实现全覆盖。"
    found = inline_items(text, canonical_view(text), 0, len(text))
    assert [i.title for i in found.items] == ["压实责任", "加强抽检", "推进智慧监管"]


def test_requirements_inside_an_item_are_not_its_sub_items() -> None:
    text = "（一）强化安全监管。一要落实属地责任。二要加强执法检查。"
    assert not inline_items(text, canonical_view(text), 0, len(text), sub_items=True).items
    assert len(inline_items(text, canonical_view(text), 0, len(text)).items) == 2


@pytest.mark.parametrize(
    ("paragraph", "titles"),
    [
        # seed 001's form: the lead-in ends at 「当前仍有」, the tail 「等问题依然存在」 goes
        (
            "今年以来，我局认真落实责任制，在看到成绩的同时，当前仍有个别干部纪律意识不强；制度执行不够严格等问题依然存在。",
            ["个别干部纪律意识不强", "制度执行不够严格"],
        ),
        # no lead-in: the first element keeps its first clause
        ("河道保洁频次偏低,部分河段仍有漂浮垃圾;河长巡河记录填写不规范;群众参与护河的积极性不高。",
         ["河道保洁频次偏低,部分河段仍有漂浮垃圾", "河长巡河记录填写不规范", "群众参与护河的积极性不高"]),
        ("经现场核查,主要存在以下不足:部分经营户健康证过期;少数商户进货台账不全。", ["部分经营户健康证过期", "少数商户进货台账不全"]),
    ],
)
def test_semicolon_list(paragraph: str, titles: list[str]) -> None:
    found = semicolon_items(paragraph, canonical_view(paragraph), 0, len(paragraph))
    assert [i.text for i in found.items] == titles


def test_one_listing_sentence_gives_its_clauses_several_give_sentences() -> None:
    one = "消费需求偏弱，企业经营压力较大，就业结构性矛盾突出，等等。我们将采取有力措施加以解决。"
    several = "外需增长乏力。部分行业产能过剩。地方财政收支矛盾较大。我们一定直面困难，扎实做好工作。"
    assert [i.text for i in prose_items(one, canonical_view(one), 0, len(one)).items] == [
        "消费需求偏弱", "企业经营压力较大", "就业结构性矛盾突出",
    ]  # fmt: skip
    assert [i.text for i in prose_items(several, canonical_view(several), 0, len(several)).items] == [
        "外需增长乏力", "部分行业产能过剩", "地方财政收支矛盾较大",
    ]  # fmt: skip


def test_a_resolve_closing_the_last_sentence_is_cut_at_its_clause() -> None:
    text = "科技创新能力依然较弱，民生保障存在短板弱项，必须直面问题、应对挑战，切实加以解决。"
    assert text[: resolve_start(canonical_view(text), 0, len(text))] == "科技创新能力依然较弱，民生保障存在短板弱项，"


# ---- the whole parse --------------------------------------------------------------------------------------------


def test_gold_seeds(gold_reports: list[dict]) -> None:
    assert len(gold_reports) == 5
    for gold in gold_reports:
        outline = parse_outline(normalize_text((SEEDS / gold["file"]).read_text(encoding="utf-8")))
        name = gold["file"]
        assert [s.heading for s in outline.sections if not s.implicit] == gold["level1"], name
        assert [i.title for i in outline.achievements] == gold["achievements"], name
        assert [i.title for i in outline.problems] == gold["problems"], name
        assert [i.title for i in outline.measures] == gold["measures"], name
        if "sub_problems" in gold:
            assert {i.title: [c.title for c in i.children] for i in outline.problems} == gold["sub_problems"]
        if "achievement_sub_items" in gold:
            subs = [c.title for i in outline.achievements for c in i.children]
            assert subs == gold["achievement_sub_items"]


def test_unheaded_problem_paragraph_and_next_step_seed_001() -> None:
    text = seed_text("001")
    outline = parse_outline(text)
    kinds = [(s.role, s.marker) for s in outline.sections if s.implicit]
    assert kinds == [("problems", "passage"), ("measures", "opener")]
    problems = next(s for s in outline.sections if s.marker == "passage")
    assert text[problems.start :].startswith("今年以来，我局通过认真落实党风廉政建设责任制")
    assert text[next(s for s in outline.sections if s.marker == "opener").start :].startswith("下一步，")
    for item in outline.problems:  # the 「；」 items point back into the paragraph they came from
        assert text[item.start : item.end] == item.text


def test_nested_list_in_a_pseudo_heading_does_not_continue_it_seed_002() -> None:
    outline = parse_outline(seed_text("002"))
    six_corrections = outline.achievements[1]
    assert [c.title for c in six_corrections.children][2:4] == ["正“行风”方面", "正“会风”方面"]
    xingfeng = six_corrections.children[2]
    assert [c.title for c in xingfeng.children][:2] == ["争做政治合格的模范", "争做组织有力的模范"]


def test_restarted_numbering_is_a_list_not_new_parts() -> None:
    text = "\n".join(
        [
            "现将有关情况报告如下：",
            "一、工作开展情况",
            "我们主要做了以下几件事：",
            "一、抓学习。组织集中学习十二次。",
            "二、抓制度。修订制度八项。",
            "二、存在的问题",
            "学习不够深入。",
            "三、下一步打算",
            "继续加强学习。",
        ]
    )
    outline = parse_outline(text)
    assert [s.heading for s in outline.sections] == ["一、工作开展情况", "二、存在的问题", "三、下一步打算"]
    assert [i.title for i in outline.achievements] == ["抓学习", "抓制度"]


def test_parts_cover_the_text_once() -> None:
    texts = [seed_text(n) for n in ("000", "001", "002", "003", "004")]
    texts.append("关于检查的报告\n一、基本情况\n检查了12家企业。\n二、存在问题\n台账不全;通道堵塞。\n特此报告。\n某某县人民政府\n附件\n检查名单")
    for text in texts:
        parts = parse_outline(text).parts()
        assert parts[0][2] == 0
        for (_, _, _, end), (_, _, start, _) in itertools.pairwise(parts):
            assert end == start
        assert parts[-1][3] == len(text)


def test_text_without_headings_is_one_part_with_low_confidence() -> None:
    outline = parse_outline("各位代表：\n过去一年，我们做了大量工作，取得了明显成效。\n群众满意度进一步提高。")
    assert [s.implicit for s in outline.sections] == [True]
    assert outline.confidence_label == "低"
    assert any("未找到标题" in e for e in outline.evidence)


def test_a_clear_report_has_high_confidence_and_says_why() -> None:
    outline = parse_outline(seed_text("000"))
    assert outline.confidence_label == "高"
    assert any("存在问题：3 条" in e for e in outline.evidence)
    assert all(s.evidence for s in outline.sections)


@pytest.mark.parametrize("text", ["", "\n", "一、", "（", "。。。", "一是\n二是", "附件\n附件"])
def test_degenerate_texts_parse(text: str) -> None:
    outline = parse_outline(text)
    assert outline.text_length == len(text)


def test_list_items_numbered_past_ninety_nine_keep_their_numbers() -> None:
    lines = [f"{n}.第{n}项任务。" for n in range(1, 121)]
    outline = parse_outline("一、工作情况\n完成了年度任务。\n二、下一步工作打算\n" + "\n".join(lines))
    assert len(outline.measures) == 120
    assert outline.measures[-1].title == "第120项任务"


@pytest.mark.slow
def test_every_corpus_report_parses() -> None:
    rows = corpus_rows()
    assert len(rows) == 83
    headed = 0
    for path, _row in rows:
        text = normalize_text(path.read_text(encoding="utf-8"))
        outline = parse_outline(text)
        assert outline.sections, path.name
        assert outline.parts()[-1][3] == len(text), path.name
        headed += any(not s.implicit for s in outline.sections)
        for section in outline.walk():
            assert 0 <= section.start <= section.body_start <= section.end <= len(text), path.name
        for role in ("achievements", "problems", "measures"):
            for item in outline.items(role):
                assert item.text in text[item.start : item.end], path.name
    # all but the reports with no headings at all (1954, 1960, 1975)
    assert headed >= 80


@pytest.mark.parametrize(
    ("file", "first", "last"),
    [
        ("provinces-2026/2026_上海市_政府工作报告.txt", "外部环境变化影响加深，不确定难预料因素增多", "政府服务管理效能仍需进一步提升，政府作风建设还要进一步加强"),
        ("state-council/2024_国务院政府工作报告.txt", "世界经济增长动能不足，地区热点问题频发，外部环境的复杂性、严峻性、不确定性上升", "一些领域腐败问题仍然多发"),
    ],
)
def test_shortcomings_paragraph_of_a_government_report(file: str, first: str, last: str) -> None:
    """「我们也清醒看到……。主要是：……。……。我们要直面这些问题……」: sentences between lead-in and resolve."""
    text = normalize_text(require_shared(CORPORA / file).read_text(encoding="utf-8"))
    outline = parse_outline(text)
    problems = [s for s in outline.sections if s.role == "problems"]
    assert len(problems) == 1 and problems[0].implicit
    assert text[problems[0].start :].startswith(("我们也清醒认识到", "在肯定成绩的同时，我们也清醒看到"))
    titles = [i.text for i in outline.problems]
    assert (titles[0], titles[-1]) == (first, last)
    assert not any("直面" in t for t in titles)


def test_a_list_closed_by_deng_wenti_in_a_news_text_gives_its_problems() -> None:
    text = "\n".join(
        [
            "县纪委监委开展节前作风建设专项督查",
            "近日，县纪委监委组成3个督查组，对全县12个乡镇开展节前作风建设专项督查。",
            "督查中发现，个别单位仍存在上班迟到早退、工作日午间饮酒、公车管理不规范等问题。对发现的问题，督查组当场反馈，责令立即整改。",
        ]
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["上班迟到早退", "工作日午间饮酒", "公车管理不规范"]


def test_a_plan_opener_inside_a_problems_and_improvements_part_is_the_plan() -> None:
    # the annual disclosure report's 「存在的主要问题及改进情况」: problems, then 「下一步，……」 with the measures
    text = "\n".join(
        [
            "一、总体情况",
            "全年主动公开政府信息3200余条。",
            "二、存在的主要问题及改进情况",
            "工作中仍存在一些不足：一是部分单位公开意识不强；二是政策解读形式较为单一。",
            "下一步，我区将重点做好以下工作：一是强化公开意识；二是丰富解读形式。",
            "三、其他需要报告的事项",
            "本年度未收取信息处理费。",
        ]
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["部分单位公开意识不强", "政策解读形式较为单一"]
    assert [i.title for i in outline.measures] == ["强化公开意识", "丰富解读形式"]
    # a paragraph that lists the work itself announces nothing for the part after it
    assert next(s for s in outline.sections if s.heading == "三、其他需要报告的事项").role != "measures"


def test_a_problems_and_improvements_heading_turns_to_the_plan_mid_paragraph() -> None:
    # 「存在的主要问题及改进情况」 names the plan too (改进情况): its 「下一步，……」 may start inside the paragraph
    text = "\n".join(
        [
            "一、总体情况",
            "全年主动公开政府信息156条。",
            "二、存在的主要问题及改进情况",
            "工作仍存在一些不足：一是信息发布不够及时；二是解读形式较为单一。"
            "下一步，我局将从以下方面加以改进：一是建立发布台账；二是增加图解解读。",
        ]
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["信息发布不够及时", "解读形式较为单一"]
    assert [i.title for i in outline.measures] == ["建立发布台账", "增加图解解读"]


def test_a_paragraph_that_answers_the_problems_found_is_not_their_list() -> None:
    # 「针对检查发现的问题，……」 responds to the problems of the paragraph before: the problems stay there
    text = "\n".join(
        [
            "区文旅局开展文化市场安全检查",
            "近日，区文旅局对城区网吧、歌舞娱乐场所开展安全检查。",
            "检查中发现，部分场所存在疏散通道堵塞、应急照明损坏等问题。",
            "针对检查发现的问题，检查组要求经营单位立即整改。下一步，区文旅局将持续加大检查力度。",
        ]
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["疏散通道堵塞", "应急照明损坏"]
    assert [s.role for s in outline.sections][-1] == "measures"


def test_a_part_that_analyses_causes_or_closes_with_other_matters_is_other() -> None:
    # 对照检查材料 analyse 「问题产生的原因」 between problems and measures; disclosure reports end on 「其他……事项」
    text = "\n".join(
        [
            "一、存在的问题",
            "（一）理论学习不够深入。",
            "（二）调查研究不够经常。",
            "二、问题产生的原因",
            "一是理想信念有所松懈；二是宗旨意识有所淡化。",
            "三、整改措施",
            "（一）强化理论武装。",
            "（二）改进工作作风。",
            "四、其他需要报告的事项",
            "本年度未收取信息处理费。",
        ]
    )
    outline = parse_outline(text)
    assert [s.role for s in outline.sections] == ["problems", "other", "measures", "other"]
    assert [i.title for i in outline.problems] == ["理论学习不够深入", "调查研究不够经常"]


def test_inline_headings_with_measures_taken_and_a_list_closed_by_deng_wenti() -> None:
    # 「主要举措和成效」 reviews; a problems part in one paragraph lists them before 「等问题」
    text = "\n".join(
        [
            "关于2025年度法治政府建设情况的报告",
            "现将有关情况报告如下。",
            "一、主要举措和成效。一是健全依法决策机制；二是严格规范执法；三是深化普法宣传。",
            "二、存在的不足。我局虽然取得一定成效，但仍存在执法人员素质有待提升、信息化水平不高、普法形式单一等问题。",
            "三、2026年工作安排。一是加强执法培训；二是推进执法信息化建设。",
        ]
    )
    outline = parse_outline(text)
    assert [s.role for s in outline.sections] == ["achievements", "problems", "measures"]
    assert [i.title for i in outline.problems] == ["执法人员素质有待提升", "信息化水平不高", "普法形式单一"]
    assert [i.title for i in outline.measures] == ["加强执法培训", "推进执法信息化建设"]


def test_parts_numbered_di_yi_bu_fen_are_the_top_layer_over_their_own_headings() -> None:
    # 「第一部分」 stands above 一、 and （一）; 「1）」 with its opening bracket left out numbers a list
    text = "\n".join(
        [
            "第一部分 工作回顾",
            "一、群众文化活动",
            "全年组织演出120场。",
            "二、非遗保护传承",
            "新认定非遗项目6项。",
            "第二部分 存在问题",
            "1）阵地设施老化；",
            "2）业务骨干不足。",
            "第三部分 下步打算",
            "（一）实施改造提升工程。",
            "（二）加强人才梯队建设。",
        ]
    )
    outline = parse_outline(text)
    assert [s.heading for s in outline.sections] == ["第一部分 工作回顾", "第二部分 存在问题", "第三部分 下步打算"]
    assert [s.role for s in outline.sections] == ["achievements", "problems", "measures"]
    assert [i.title for i in outline.problems] == ["阵地设施老化", "业务骨干不足"]
    assert [i.title for i in outline.measures] == ["实施改造提升工程", "加强人才梯队建设"]


def test_headings_numbered_with_a_space_for_the_comma_as_pdfs_give_them() -> None:
    # 「一 工作开展情况」: the title above is not joined to it, and the run of three is the top layer
    text = normalize_text(
        "\n".join(
            [
                "某县文旅局2025年上半年工作情况报告",
                "一 工作开展情况",
                "上半年接待游客260万人次。",
                "二 存在的问题",
                "一是旅游产品单一；二是宣传力度不够。",
                "三 下半年工作打算",
                "一是丰富产品供给；二是加大宣传力度。",
            ]
        )
    )
    outline = parse_outline(text)
    assert [s.heading for s in outline.sections] == ["一 工作开展情况", "二 存在的问题", "三 下半年工作打算"]
    assert [i.title for i in outline.problems] == ["旅游产品单一", "宣传力度不够"]
    assert [i.title for i in outline.measures] == ["丰富产品供给", "加大宣传力度"]


def test_parts_run_on_in_one_line_when_the_line_breaks_were_lost() -> None:
    # pasted from a web page: the parts follow each other inside one line, each after a full stop
    text = normalize_text(
        "\n".join(
            [
                "某区文化馆2024年工作总结",
                "2024年，区文化馆围绕群众文化需求开展工作。一、主要工作成效。全年举办展演活动86场，培训群众文艺骨干"
                "1200人次。二、存在的问题。场馆设施老化；专业人员不足；活动品牌影响力不强。三、2025年工作打算。"
                "一是改造排练厅；二是招聘专业人员2名；三是打造“周末大舞台”品牌。",
            ]
        )
    )
    outline = parse_outline(text)
    assert [(s.heading, s.role) for s in outline.sections] == [
        ("一、主要工作成效", "achievements"), ("二、存在的问题", "problems"), ("三、2025年工作打算", "measures"),
    ]
    assert [i.title for i in outline.problems] == ["场馆设施老化", "专业人员不足", "活动品牌影响力不强"]
    assert [i.title for i in outline.measures] == ["改造排练厅", "招聘专业人员2名", "打造“周末大舞台”品牌"]
    assert text[outline.sections[1].start :].startswith("二、存在的问题")


def test_a_part_heading_run_on_fills_the_gap_between_those_at_line_starts() -> None:
    text = normalize_text(
        "\n".join(
            [
                "一、工作开展情况",
                "全年接待游客300万人次。二、存在的问题。一是产品单一；二是服务不优。",
                "三、下一步打算",
                "一是丰富产品；二是提升服务。",
            ]
        )
    )
    outline = parse_outline(text)
    assert [s.heading for s in outline.sections] == ["一、工作开展情况", "二、存在的问题", "三、下一步打算"]
    assert [i.title for i in outline.problems] == ["产品单一", "服务不优"]


@pytest.mark.parametrize(
    "body",
    [
        # a list inside a part of a report headed by line
        ["一、工作开展情况", "主要做法：一、加强领导。二、完善制度。三、强化考核。", "二、存在的问题", "一是产品单一。"],
        # the same in the last part, where 「三、」 would continue the parts' own run
        ["一、工作开展情况", "全年接待游客300万人次。", "二、下一步打算", "主要做法：一、加强领导。二、完善制度。三、强化考核。"],
        # sentences numbered in a report without headings: each 「一、」 is followed by a clause, not a title
        ["今年以来，我局扎实推进各项工作。一、加强领导，成立工作专班。二、完善制度，出台管理办法。"],
    ],
)
def test_a_list_numbered_inside_a_line_is_no_run_on_heading(body: list[str]) -> None:
    text = normalize_text("\n".join(body))
    headings = [s.heading for s in parse_outline(text).sections]
    assert not any(h.startswith(("二、加强", "二、完善", "三、强化", "一、加强")) for h in headings), headings


def test_an_unnumbered_part_titled_for_the_way_ahead_is_a_part() -> None:
    # 「今后的努力方向」 ends in 向, which ends no other title: it is no line cut off mid-phrase
    text = normalize_text(
        "\n".join(
            [
                "2024年度述职报告",
                "一年来，我认真履行岗位职责，完成了各项工作任务。",
                "一年来的主要工作",
                "组织开展理论学习12次，完成文物普查。",
                "存在的差距",
                "业务能力有待提升；深入基层不够。",
                "今后的努力方向",
                "进一步加强学习；进一步转变作风。",
            ]
        )
    )
    outline = parse_outline(text)
    assert [(s.heading, s.role) for s in outline.sections] == [
        ("一年来的主要工作", "achievements"), ("存在的差距", "problems"), ("今后的努力方向", "measures"),
    ]
    assert [i.title for i in outline.measures] == ["进一步加强学习", "进一步转变作风"]


def test_problems_listed_in_one_sentence_start_after_its_lead_in() -> None:
    text = normalize_text(
        "一、自查情况\n检查景区8家，发现隐患14处。\n二、存在的问题\n"
        "经检查，主要存在以下问题：游乐设施检测不及时，消防通道被占用，客流管控不够完善。\n"
        "三、整改措施\n一是全面检测设施；二是清理消防通道。"
    )
    assert [i.title for i in parse_outline(text).problems] == ["游乐设施检测不及时", "消防通道被占用", "客流管控不够完善"]


def test_a_problems_part_with_the_causes_beside_gives_the_problems_only() -> None:
    text = normalize_text(
        "\n".join(
            [
                "一、工作完成情况",
                "全年组织送文化下乡演出120场。",
                "二、存在的问题及原因分析",
                "（一）存在的问题",
                "1.活动形式比较单一。",
                "2.基层阵地利用率不高。",
                "（二）原因分析",
                "一是创新意识不强；二是经费投入不足。",
                "三、下步工作措施",
                "1.创新活动形式。",
                "2.盘活基层阵地。",
            ]
        )
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["活动形式比较单一", "基层阵地利用率不高"]
    assert [i.title for i in outline.measures] == ["创新活动形式", "盘活基层阵地"]


@pytest.mark.parametrize(
    ("title", "roles"),
    [
        ("某县文化和旅游局2025年工作要点", ["measures", "measures"]),  # a plan: its parts are its tasks
        ("某县文化和旅游局2024年工作总结及2025年工作计划", ["achievements", "achievements"]),  # reviews too
    ],
)
def test_a_document_titled_as_a_plan_has_its_unnamed_parts_as_tasks(title: str, roles: list[str]) -> None:
    text = normalize_text(
        f"{title}\n2025年全县文旅工作的总体要求是推动文旅深度融合发展。\n"
        "一、加强公共文化服务体系建设\n推进县图书馆新馆建设，新建城市书房3个。\n"
        "二、推动旅游业高质量发展\n创建国家4A级旅游景区1家，举办乡村旅游节。"
    )
    assert [s.role for s in parse_outline(text).sections] == roles


def test_a_report_by_topic_keeps_its_problems_and_measures_under_each_topic() -> None:
    # a self-inspection by topic: 「（二）存在问题」「（三）整改措施」 under each, no top-level part of those roles
    text = "\n".join(
        [
            "一、落实工作责任制情况",
            "（一）主要做法。局党组每半年专题研究一次。",
            "（二）存在问题。个别班子成员过问不多；考核办法不够细化。",
            "（三）整改措施。建立工作清单；修订考核办法。",
            "二、网络阵地管理情况",
            "（一）主要做法。落实“三审三校”制度。",
            "（二）存在问题。审核人员力量不足。",
            "（三）整改措施。充实审核人员，开展业务培训。",
        ]
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["个别班子成员过问不多", "考核办法不够细化", "审核人员力量不足"]
    assert [i.title for i in outline.measures] == ["建立工作清单", "修订考核办法", "充实审核人员，开展业务培训"]
    assert [c.role for c in outline.sections[1].children] == ["achievements", "problems", "measures"]
    # a reader who says the first topic holds no problems is taken at their word
    corrected = parse_outline(text, [Correction(ROLE, "一、落实工作责任制情况", "other")])
    assert [i.title for i in corrected.problems] == ["审核人员力量不足"]


def _random_texts(count: int, seed: int) -> list[str]:
    """Texts built from the pieces reports are made of, in random order: markers, cues, lead-ins, marks."""
    import random

    rng = random.Random(seed)
    pieces = [
        "一、", "二、", "三、", "（一）", "（二）", "1.", "2、", "（1）", "①", "第一，", "第二，", "一是", "二是", "一要",
        "存在的问题", "下一步工作打算", "工作回顾", "重点工作", "结束语", "附件", "特此报告。", "我们也清醒看到，",
        "还存在一些问题：", "主要是：", "等问题依然存在", "等等。", "对此，我们将", "下一步，", "各位代表：",
        "加强学习", "完善制度", "2023年12月5日", "某某局", "，", "。", "；", ":", ";", ",", "\n", "\n", "\n", " ", "問題",
    ]  # fmt: skip
    return ["".join(rng.choices(pieces, k=rng.randint(0, 120))) for _ in range(count)]


def test_random_texts_parse_with_their_invariants() -> None:
    for text in _random_texts(400, seed=8):
        text = normalize_text(text)
        outline = parse_outline(text)
        parts = outline.parts()
        if parts:
            assert parts[0][2] == 0 and parts[-1][3] == len(text)
            for (_, _, _, end), (_, _, start, _) in itertools.pairwise(parts):
                assert end == start
        for section in outline.walk():
            assert 0 <= section.start <= section.body_start <= section.end <= len(text)
        for role in ("achievements", "problems", "measures"):
            for item in outline.items(role):
                assert 0 <= item.start <= item.end <= len(text) and item.text in text[item.start : item.end]
        assert 0.0 <= outline.confidence <= 1.0


def test_a_report_in_yishi_lines_with_its_problems_and_next_steps_unheaded() -> None:
    text = "\n".join(
        [
            "某某街道关于开展燃气安全专项整治情况的汇报",
            "按照区委、区政府统一部署，我街道迅速行动，扎实开展燃气安全专项整治。",
            "一是加强组织领导。成立工作专班，制定工作方案。",
            "二是开展全面排查。共排查餐饮场所126家，发现隐患38处，已整改35处。",
            "目前存在的问题：部分老旧小区燃气管道老化；个别餐饮商户安全意识淡薄。",
            "下步工作：一是持续开展“回头看”；二是加大执法力度；三是推动老旧管道改造。",
        ]
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["部分老旧小区燃气管道老化", "个别餐饮商户安全意识淡薄"]
    assert [i.title for i in outline.measures] == ["持续开展“回头看”", "加大执法力度", "推动老旧管道改造"]


def test_a_part_headed_for_problems_and_measures_gives_both_from_its_named_headings() -> None:
    text = "\n".join(
        [
            "一、工作开展情况",
            "局党组全年召开意识形态专题会议4次。",
            "二、存在的问题及整改措施",
            "（一）存在的问题",
            "1.理论学习的深度还不够。",
            "2.网络舆情应对能力有待提升。",
            "（二）整改措施",
            "1.深化理论学习，推动学习往深里走。",
            "2.建立网络舆情监测处置机制。",
        ]
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["理论学习的深度还不够", "网络舆情应对能力有待提升"]
    assert [i.title for i in outline.measures] == ["深化理论学习，推动学习往深里走", "建立网络舆情监测处置机制"]
    combined = outline.sections[1]
    assert [c.role for c in combined.children] == ["problems", "measures"]


def test_a_part_headed_for_problems_and_measures_turns_to_the_plan_mid_paragraph() -> None:
    text = "\n".join(
        [
            "一、履职情况",
            "一年来，我认真履行分管工作职责，牵头完成了全县文物普查。",
            "二、存在的不足及今后努力方向",
            "本人还存在一些不足：一是理论学习不够系统；二是调查研究不够深入。"
            "今后，我将着力做好以下几点：一是加强学习，提高理论水平；二是改进作风，经常深入基层。",
        ]
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["理论学习不够系统", "调查研究不够深入"]
    assert [i.title for i in outline.measures] == ["加强学习，提高理论水平", "改进作风，经常深入基层"]


def test_an_order_told_in_words_is_a_list() -> None:
    text = (
        "一、工作情况\n完成了年度任务。\n二、存在的问题\n主要表现在：一方面，部分干部学习不够深入；另一方面，制度执行不够严格。\n"
        "三、下一步打算\n下一步，我们将从以下几个方面着手：首先，加强理论学习；其次，完善规章制度；最后，强化监督检查。"
    )
    outline = parse_outline(text)
    assert [i.title for i in outline.problems] == ["部分干部学习不够深入", "制度执行不够严格"]
    assert [i.title for i in outline.measures] == ["加强理论学习", "完善规章制度", "强化监督检查"]


def test_numerals_alone_on_their_lines_number_the_parts() -> None:
    # State Council 1960: 「一」 … 「二」 … with no title after the number
    text = "各位代表：\n一\n过去四年，农业生产有了很大发展，粮食产量增加了很多。\n二\n今后要继续贯彻执行农业发展纲要，力争提前实现。"
    outline = parse_outline(text)
    assert [s.heading for s in outline.sections] == ["一", "二"]
    assert [s.role for s in outline.sections] == ["achievements", "measures"]


def test_a_semicolon_inside_one_sentence_of_a_prose_passage_lists_nothing() -> None:
    text = (
        "一、工作回顾\n全年完成了主要目标任务。\n"
        "我们也清醒看到，发展中还存在不少困难。外需增长乏力，出口压力较大。"
        "部分企业经营困难；个别行业产能过剩。地方财政收支矛盾较大。对此，我们将认真加以解决。\n"
        "二、今年重点工作\n（一）扩大内需。\n（二）稳定就业。"
    )
    titles = [i.text for i in parse_outline(text).problems]
    assert titles == ["外需增长乏力，出口压力较大", "部分企业经营困难；个别行业产能过剩", "地方财政收支矛盾较大"]


def test_the_cue_lookahead_changes_no_match() -> None:
    """The first-character lookahead of ``RE_SHORTFALL_CUE`` is there for speed only."""
    import random
    import re

    from reportlens.structure import cues

    plain = re.compile(cues.SHORTFALL_CUE)
    rng = random.Random(3)
    texts = [canonical_view(normalize_text(path.read_text(encoding="utf-8"))) for path, _ in corpus_rows()[::4]]
    pieces = [*"清醒地看到认识还仍然也存在有一些不少许多不足问题差距短板之处的，。发现查摆主要以下如下不容忽视", "仍然存在", "也有不少"]
    texts += ["".join(rng.choices(pieces, k=40)) for _ in range(2000)]
    for text in texts:
        assert [m.span() for m in cues.RE_SHORTFALL_CUE.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_canonical_view_by_replacement_equals_translation() -> None:
    from reportlens.structure.canon import PUNCTUATION, _simplified_table

    table = {**_simplified_table(), **PUNCTUATION}
    for path, _ in corpus_rows()[::6]:
        text = normalize_text(path.read_text(encoding="utf-8"))
        assert canonical_view(text) == text.translate(table)
