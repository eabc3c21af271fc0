"""Tokenizer, stopwords and token tables on real report text (seeds and ../shared/corpora)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import jieba
import numpy as np
import pandas as pd
import pytest
import rjieba
from conftest import CORPORA
from conftest import corpus_files as shared_corpus_files

from reportlens.derived import TokenizerSpec
from reportlens.normalize import normalize_text
from reportlens.outline import Outline, Section
from reportlens.structure import parse_outline
from reportlens.text import (
    DATA_DIR,
    TOKEN_COLUMNS,
    Tokenizer,
    build_tokenizer,
    concat_token_tables,
    engine_mismatch,
    join_stopwords,
    parse_stopwords,
    parse_userdict,
    sentence_spans,
    token_table,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def corpus_files() -> list[Path]:
    files = shared_corpus_files()
    if len(files) < 80:
        pytest.fail(f"expected the 83 real reports under {CORPORA} (../shared/corpora next to the repo)")
    return files


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def seed(prefix: str) -> str:
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    return read(path)


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return build_tokenizer()


@pytest.fixture(scope="module")
def reference() -> Tokenizer:
    return build_tokenizer(engine="jieba")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Tokenizer:
    """jieba's own dictionary only: an empty user dictionary."""
    empty = tmp_path_factory.mktemp("dict") / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    return build_tokenizer(userdict=empty)


def test_seeds_are_there() -> None:
    assert len(SEEDS) == 5


# (term, a clause copied from a seed, whether jieba's dictionary alone already keeps the term whole)
DOMAIN_TERMS = [
    ("文旅融合", "紧紧围绕文旅融合事业要求，", False),
    ("文旅融合", "将文旅为民和文旅融合放在重要的位置", False),
    ("文旅为民", "将文旅为民和文旅融合放在重要的位置", False),
    ("党风廉政建设", "营造党风廉政建设浓厚氛围。", False),
    ("中央八项规定精神", "把贯彻执行中央八项规定精神落到实处。", False),
    ("一岗双责", "落实“一岗双责”，", True),
    ("三会一课", "带头落实“三会一课”，", False),
    ("第一责任人", "党组书记履行好“第一责任人”职责，", False),
    ("能力作风建设年", "把当前“能力作风建设年”活动、“为群众办实事办好事”主题活动开展党性引领，", False),
    ("为群众办实事", "把当前“能力作风建设年”活动、“为群众办实事办好事”主题活动开展党性引领，", False),
    ("我为群众办实事", "以\xa0“我为群众办实事”实践活动为抓手，", False),
    ("四风", "纠“四风”树新风，", False),
    ("正风肃纪", "四是争做正风肃纪的模范。", False),
    ("模范机关", "以模范机关创建为抓手，", False),
    ("全面从严治党", "对全面从严治党和作风建设工作进行了专门的部署落实。", False),
    ("作风建设", "对全面从严治党和作风建设工作进行了专门的部署落实。", False),
    ("主体责任", "1、落实主体责任推动工作纵深发展。", False),
    ("管党治党", "四是做好党性引领文化引领管党治党相互结合文章。", False),
    ("形式主义", "杜绝形式主义官僚主义，", True),
    ("官僚主义", "杜绝形式主义官僚主义，", True),
    ("营商环境", "2、创优营商环境提升服务水平。", False),
    ("提质增效", "四是提质增效，同频共振。", False),
    ("主题党日", "利用三会一课、主题党日、“灯塔大课堂”“网络党校”“学习强国”、中心组理论学习等形式，", False),
    ("主题教育", "1、为巩固深化主题教育成果，", False),
    ("警示教育", "一是开展廉政警示教育活动。", False),
    ("谈心谈话", "用好谈心谈话提醒谈话，", False),
    ("送戏下乡", "开展送戏下乡***场次，全民阅读活动***场次。", False),
]


@pytest.mark.slow
@pytest.mark.parametrize(("term", "clause", "whole_without_dict"), DOMAIN_TERMS)
def test_domain_term_is_one_token(
    tokenizer: Tokenizer, plain: Tokenizer, term: str, clause: str, whole_without_dict: bool
) -> None:
    assert any(clause in read(p) for p in SEEDS), "the clause must be copied from a seed"
    assert term in tokenizer.cut(clause)
    assert term in tokenizer.content_tokens(clause)
    assert (term in plain.cut(clause)) is whole_without_dict


@pytest.mark.slow
def test_jieba_default_splits_wenlv_ronghe() -> None:
    # jieba itself, its own dictionary only: 「和文旅融合」 becomes 和文/旅/融合
    default = jieba.Tokenizer()
    clause = "将文旅为民和文旅融合放在重要的位置"
    assert "/".join(default.lcut(clause, HMM=False)) == "将/文/旅/为民/和文/旅/融合/放在/重要/的/位置"
    assert "文旅融合" not in default.lcut(clause, HMM=True)


def test_bundled_dictionary(tokenizer: Tokenizer) -> None:
    entries = parse_userdict((DATA_DIR / "userdict.txt").read_text(encoding="utf-8").splitlines())
    words = [e.word for e in entries]
    assert len(words) >= 300
    assert len(set(words)) == len(words)
    assert tokenizer.words == entries
    assert {"党风廉政建设", "中央八项规定精神", "十四五", "十五五", "新质生产力", "乡村振兴"} <= set(words)


def test_every_stopword_is_cut_whole(tokenizer: Tokenizer) -> None:
    # a stopword the tokenizer never produces would filter nothing
    split = {w: tokenizer.cut(w) for w in tokenizer.stopwords if len(w) > 1 and tokenizer.cut(w) != [w]}
    assert split == {}


@pytest.mark.parametrize(
    ("clause", "dropped", "kept"),
    [
        ("现将我局工作开展情况，存在的主要问题，以及下步工作打算报告如下。", ["我局", "现将", "存在"], []),
        # 公文 boilerplate (data/stopwords_boilerplate.txt) goes, the matters stay
        ("党员干部教育管理不够严实，进行持续正风肃纪仍需用力", ["不够", "进行", "持续"], ["党员干部", "正风肃纪"]),
        ("在工作中仍存在重部署轻落实的现象", ["存在", "落实", "现象"], ["部署"]),
        (
            "要求广大党员干部在进一步加强机关党的建设、文化阵地建设、文化市场监管",
            ["进一步", "加强"],
            ["党员干部", "监管"],
        ),
        ("我们举办了***贺年会文化活动", ["我们"], ["举办", "文化"]),
        ("切实把党风廉政建设工作当成一项系统工程", ["切实", "工作"], ["党风廉政建设", "系统工程"]),
        ("积极贯穿于承担的各项文旅事业和社会工作的始终", ["积极", "各项"], ["文旅事业", "承担"]),
    ],
)
def test_stopwords_left_out_of_content_tokens(
    tokenizer: Tokenizer, clause: str, dropped: list[str], kept: list[str]
) -> None:
    assert any(clause in read(p) for p in SEEDS)
    tokens = tokenizer.cut(clause)
    content = tokenizer.content_tokens(clause)
    for word in dropped:
        assert word in tokens
        assert word not in content
    for word in kept:
        assert word in content


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("党风廉政建设", True),
        ("整改", True),
        ("问题", False),  # 公文 boilerplate: says how a report talks, not what about
        ("学习", True),
        ("党", True),
        ("的", False),
        ("局", False),
        ("进一步", False),
        ("我局", False),
        ("，", False),
        ("　", False),
        ("\n", False),
        ("2025", False),
        ("3.5", False),
        ("GDP", True),
        ("5G", True),
        ("PM2.5", True),
        ("A", False),
        ("abcd39f1fb7f426d9dfb6bd0fa1f2146", False),
        ("5A级", True),
        ("", False),
    ],
)
def test_is_content(tokenizer: Tokenizer, token: str, expected: bool) -> None:
    assert tokenizer.is_content(token) is expected


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_cut_and_spans_cover_the_text(tokenizer: Tokenizer, path: Path) -> None:
    text = read(path)
    tokens = tokenizer.cut(text)
    assert "".join(tokens) == text
    spans = tokenizer.spans(text)
    assert [t for t, _ in spans] == tokens
    assert all(text[o : o + len(t)] == t for t, o in spans)


@pytest.mark.slow
def test_new_dictionary_builds_a_new_tokenizer(tokenizer: Tokenizer, tmp_path: Path) -> None:
    clause = "大大激发了基层一线干部的干事激情。"
    assert clause in seed("003")
    before = tokenizer.cut(clause)
    assert "干事激情" not in before

    more = build_tokenizer(extra_words=["干事激情"])
    assert "干事激情" in more.cut(clause)
    assert build_tokenizer(extra_words="# 文本框\n干事激情\n").version == more.version
    assert more.version != tokenizer.version
    assert more != tokenizer
    # the first tokenizer, and jieba's and rjieba's module-level ones, are untouched
    assert tokenizer.cut(clause) == before
    assert build_tokenizer().version == tokenizer.version
    assert "干事激情" not in jieba.dt.FREQ
    assert not rjieba.has_word("干事激情")

    userdict = tmp_path / "mine.txt"
    userdict.write_text("# 自己的词典\n干事激情 2000 n\n", encoding="utf-8")
    own = build_tokenizer(userdict=userdict)
    assert "干事激情" in own.cut(clause)
    assert "文旅融合" not in own.cut("紧紧围绕文旅融合事业要求")
    assert len({own.version, more.version, tokenizer.version}) == 3

    fewer_stops = build_tokenizer(extra_stopwords=["激发"])
    assert fewer_stops.version != tokenizer.version
    assert "激发" not in fewer_stops.content_tokens(clause)
    assert "激发" in tokenizer.content_tokens(clause)


def test_tokenizer_cannot_be_changed(tokenizer: Tokenizer) -> None:
    with pytest.raises(AttributeError):
        tokenizer.stopwords = frozenset()  # type: ignore[misc]
    assert isinstance(tokenizer.stopwords, frozenset)
    assert not any(name.startswith(("add", "load", "set", "del")) for name in dir(tokenizer))


@pytest.mark.slow
def test_pickled_tokenizer_is_rebuilt_from_its_recipe(tokenizer: Tokenizer) -> None:
    copy = pickle.loads(pickle.dumps(tokenizer))  # noqa: S301 - our own object
    text = seed("001")
    assert copy.version == tokenizer.version
    assert copy.cut(text) == tokenizer.cut(text)


@pytest.mark.slow
def test_version_names_the_engine(tokenizer: Tokenizer, reference: Tokenizer) -> None:
    assert tokenizer.engine == "rjieba"
    assert reference.engine == "jieba"
    assert tokenizer.version != reference.version
    assert re.fullmatch(r"[0-9a-f]{12}", tokenizer.version)


@pytest.mark.parametrize(
    "line",
    ["文旅 融合", "文旅融合 12.5", "双随机、一公开", "文旅融合 12 NZ"],
)
def test_bad_dictionary_lines_are_refused(line: str) -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_userdict(["# header", line])


def test_dictionary_and_stopword_lines() -> None:
    entries = parse_userdict(["\ufeff# 注释", "", "文旅融合", "八项规定精神 10000", "能力作风建设年 5000 nz"])
    assert [(e.word, e.freq, e.tag) for e in entries] == [
        ("文旅融合", None, None),
        ("八项规定精神", 10000, None),
        ("能力作风建设年", 5000, "nz"),
    ]
    assert parse_stopwords(["# 注释", " 我局 ", "", "进一步"]) == frozenset({"我局", "进一步"})


# ── rjieba and jieba cut alike ──────────────────────────────────────────────


def test_engine_mismatch_points_at_the_difference(tokenizer: Tokenizer, plain: Tokenizer) -> None:
    text = seed("002")
    found = engine_mismatch(text, tokenizer, plain)
    assert found is not None
    assert found.left[0] != found.right[0]
    assert text.startswith(found.left[0], found.offset)
    assert text.startswith(found.right[0], found.offset)
    assert engine_mismatch(text, tokenizer, tokenizer) is None


@pytest.mark.slow
def test_engines_agree_on_seeds_and_corpora(tokenizer: Tokenizer, reference: Tokenizer) -> None:
    files = SEEDS + corpus_files()
    assert len({p.parent.name for p in files}) == 3  # seeds, state-council, provinces-2026
    checked = 0
    for path in files:
        raw = read(path)
        for text in (raw, normalize_text(raw)):
            mismatch = engine_mismatch(text, tokenizer, reference)
            assert mismatch is None, f"{path.name}: rjieba {mismatch.left} vs jieba {mismatch.right}"
            checked += len(text)
    assert checked > 3_000_000


@pytest.mark.slow
def test_engines_agree_with_a_user_dictionary(tmp_path: Path) -> None:
    # bare known words, bare new words, explicit frequencies (one lowering a known word), tags, a frequency 0
    userdict = tmp_path / "edge.txt"
    userdict.write_text(
        "文旅融合\n党员干部 3\n中国 10\n和文 0\n融合 0\n领导班子 1 n\n文旅 50000\n工作开展情况\n中国\n",
        encoding="utf-8",
    )
    fast = build_tokenizer(userdict=userdict)
    slow = build_tokenizer(userdict=userdict, engine="jieba")
    for path in [*SEEDS, *corpus_files()[::20]]:
        text = read(path)
        mismatch = engine_mismatch(text, fast, slow)
        assert mismatch is None, f"{path.name}: rjieba {mismatch.left} vs jieba {mismatch.right}"
    clause = "将文旅为民和文旅融合放在重要的位置"
    assert (
        fast.cut(clause)
        == slow.cut(clause)
        == ["将", "文旅", "为民", "和", "文旅融合", "放在", "重要", "的", "位置"]
    )


# ── sentences and token tables ──────────────────────────────────────────────


def test_sentence_spans_on_a_seed_opening() -> None:
    text = seed("000")
    head = text[: text.index("2、坚持文化引领")]
    sentences = [head[s:e] for s, e in sentence_spans(head)]
    assert sentences[0].startswith("今年以来，作为全市文旅行业系统")
    assert sentences[0].endswith("奠定了坚实的基础。")
    assert sentences[1] == "现将我局工作开展情况，存在的主要问题，以及下步工作打算报告如下。"
    assert sentences[2] == "一、工作开展情况"
    assert sentences[3] == "1、提高政治站位，强化组织领导，营造党风廉政建设浓厚氛围。"
    assert all(s.strip() == s and s for s in sentences)


def test_sentence_spans_keep_closing_quotes_and_split_on_semicolons() -> None:
    text = "坚持“一岗双责”；抓好“三会一课”。”\n\n  要求：严！"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "坚持“一岗双责”；",
        "抓好“三会一课”。”",
        "要求：严！",
    ]


RE_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、", re.M)  # 「一、工作开展情况」
RE_LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）", re.M)  # 「（一）加强干部选拔培养,提升干事创业水平」


def outline_of(text: str) -> Outline:
    """A two-level outline from the seed's numbered headings, roles from their words (test scaffolding)."""

    def role(heading: str) -> str:
        if "问题" in heading:
            return "problems"
        if any(w in heading for w in ("措施", "打算", "方向")):
            return "measures"
        return "achievements" if any(w in heading for w in ("情况", "成绩")) else "other"

    def sections(
        pattern: re.Pattern[str], start: int, end: int, level: int, parent_role: str
    ) -> tuple[Section, ...]:
        starts = [m.start() for m in pattern.finditer(text, start, end)]
        out = []
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else end
            line_end = text.index("\n", s, e) + 1 if "\n" in text[s:e] else e
            heading = text[s:line_end].strip()
            r = role(heading) if level == 1 else parent_role
            kids = sections(RE_LEVEL2, line_end, e, 2, r) if level == 1 else ()
            out.append(Section(heading, heading, level, r, s, e, line_end, children=kids))
        return tuple(out)

    first = RE_LEVEL1.search(text)
    assert first is not None
    return Outline(len(text), (0, first.start()), sections(RE_LEVEL1, first.start(), len(text), 1, "other"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_token_table_on_a_seed(tokenizer: Tokenizer, path: Path) -> None:
    text = normalize_text(read(path))
    parts = outline_of(text).parts()
    assert sum(e - s for _, _, s, e in parts) == len(text)
    table = token_table("r1", text, parts, tokenizer)

    assert tuple(table.columns) == TOKEN_COLUMNS
    assert {c: str(table[c].dtype) for c in table.columns} == {
        "report_id": "category",
        "section_path": "category",
        "role": "category",
        "sentence": "int32",
        "token": "category",
        "offset": "int32",
    }
    assert len(table) == sum(len(tokenizer.content_tokens(text[s:e])) for _, _, s, e in parts)
    assert set(table["report_id"]) == {"r1"}

    offsets = table["offset"].to_numpy()
    tokens = table["token"].astype(str).to_numpy()
    assert all(text[o : o + len(t)] == t for t, o in zip(tokens, offsets, strict=True))
    assert all(tokenizer.is_content(t) for t in tokens)
    assert np.all(np.diff(offsets) > 0)

    # section_path and role are those of the part the token lies in
    bounds = np.asarray([s for _, _, s, _ in parts])
    where = np.searchsorted(bounds, offsets, side="right") - 1
    assert list(table["section_path"].astype(str)) == [parts[i][0] for i in where]
    assert list(table["role"].astype(str)) == [parts[i][1] for i in where]
    top_level = {p.split("/")[0] for p in table["section_path"].astype(str)}
    assert top_level == {"0"} | {str(i) for i in range(1, len(outline_of(text).sections) + 1)}

    # sentences: 0-based, never decreasing, and each token lies inside its sentence
    sentences = table["sentence"].to_numpy()
    spans = sentence_spans(text)
    assert sentences[0] == 0
    assert np.all(np.diff(sentences) >= 0)
    assert sentences[-1] == len(spans) - 1
    for t, o, k in zip(tokens, offsets, sentences, strict=True):
        s, e = spans[k]
        assert s <= o and o + len(t) <= e


def test_token_table_keeps_domain_terms_in_their_sections(tokenizer: Tokenizer) -> None:
    text = normalize_text(seed("003"))
    table = token_table("003", text, outline_of(text).parts(), tokenizer)
    problems = table[table["role"] == "problems"]
    # 「（四）廉洁自律意识方面」 is the fourth sub-section of 「二、存在的问题」
    assert "2/4" in set(problems.loc[problems["token"].isin(["廉洁自律"]), "section_path"].astype(str))
    assert "我局" not in set(table["token"].astype(str))


def test_token_table_refuses_parts_outside_or_overlapping(tokenizer: Tokenizer) -> None:
    text = seed("000")
    with pytest.raises(ValueError, match="outside"):
        token_table("r", text, [("0", "preamble", 0, len(text) + 1)], tokenizer)
    with pytest.raises(ValueError, match="overlaps"):
        token_table("r", text, [("0", "preamble", 0, 50), ("1", "other", 40, 90)], tokenizer)


def test_token_tables_concatenate_with_categories(tokenizer: Tokenizer) -> None:
    tables = []
    for path in SEEDS[:3]:
        text = normalize_text(read(path))
        tables.append(token_table(path.name[:3], text, outline_of(text).parts(), tokenizer))
    tables.append(token_table("nothing", "。\n", [("0", "preamble", 0, 2)], tokenizer))
    assert len(tables[-1]) == 0
    both = concat_token_tables(tables)
    assert len(both) == sum(len(t) for t in tables)
    assert str(both["token"].dtype) == "category"
    assert list(both["report_id"].cat.categories) == ["000", "001", "002"]  # an empty table adds none
    pd.testing.assert_series_equal(
        both["token"].astype(str), pd.concat([t["token"].astype(str) for t in tables], ignore_index=True)
    )
    empty = concat_token_tables([])
    assert tuple(empty.columns) == TOKEN_COLUMNS
    assert len(empty) == 0


def test_bundled_word_lists_explain_themselves_in_chinese() -> None:
    # the comments show in the 词典与停用词 text areas: no English sentence for a Chinese reader
    for name in ("userdict.txt", "stopwords.txt", "stopwords_boilerplate.txt", "themes.txt"):
        comments = [line for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert comments, name
        assert not [c for c in comments if re.search(r"[A-Za-z]{3,}", c)], name


def test_both_stopword_lists_apply_and_neither_repeats_the_other() -> None:
    function_words = parse_stopwords((DATA_DIR / "stopwords.txt").read_text(encoding="utf-8").splitlines())
    boilerplate = parse_stopwords((DATA_DIR / "stopwords_boilerplate.txt").read_text(encoding="utf-8").splitlines())
    assert not function_words & boilerplate  # one home for each word
    tokenizer = build_tokenizer()
    assert function_words | boilerplate <= tokenizer.stopwords
    assert {"存在", "不足", "还有", "落实", "不够", "部分"} <= boilerplate  # the grammar of complaint
    assert {"是否", "比如", "有时"} <= function_words
    assert not {"学习", "制度", "服务", "作风", "党员干部"} & (function_words | boilerplate)  # matters stay
    spec = TokenizerSpec.from_texts(
        (DATA_DIR / "userdict.txt").read_text(encoding="utf-8"),
        join_stopwords(
            (DATA_DIR / "stopwords.txt").read_text(encoding="utf-8"),
            (DATA_DIR / "stopwords_boilerplate.txt").read_text(encoding="utf-8"),
        ),
    )
    assert spec == TokenizerSpec()  # the bundled lists, saved unchanged, are the default tokenizer


def test_seed_problem_terms_are_matters_once_boilerplate_goes() -> None:
    tokenizer = build_tokenizer()
    counts: dict[str, int] = {}
    for path in SEEDS:
        text = normalize_text(read(path))
        tokens = token_table("x", text, parse_outline(text).parts(), tokenizer)
        for token in tokens.loc[tokens["role"] == "problems", "token"].astype(str):
            counts[token] = counts.get(token, 0) + 1
    top = sorted(counts, key=lambda t: (-counts[t], t))[:10]
    assert {"学习", "服务", "党员干部"} <= set(top)
    assert not {"问题", "存在", "不够", "部分", "有时", "还有", "落实"} & set(top)
