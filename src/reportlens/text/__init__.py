"""Words: a jieba tokenizer with the domain dictionary, and per-section token tables. The package's modules:
``dictionary`` (the word lists), ``engines`` (rjieba and jieba), ``tokenizer`` (``Tokenizer``, which tokens
count) and ``tables`` (sentences, token tables); everything is imported from ``reportlens.text``.

``build_tokenizer()`` builds a ``Tokenizer`` once from the bundled ``data/userdict.txt`` and the bundled
stopwords — the function words of ``data/stopwords.txt`` and the 公文 boilerplate of
``data/stopwords_boilerplate.txt`` (``STOPWORD_FILES``) — or files and extra words you give it; it is never
changed afterwards, so a changed dictionary means a new tokenizer with a new ``version``.

Two engines give the same tokens:

- ``"rjieba"`` (default): jieba-rs through the rjieba binding — jieba's algorithm and jieba 0.42.1's
  ``dict.txt`` in Rust, about 15 times faster than jieba on the corpora (see ``bench/bench_segment.py``);
- ``"jieba"``: jieba 0.42.1 itself (its own ``jieba.Tokenizer`` instance, never the module-level one), the
  reference. ``engine_mismatch`` finds where two tokenizers disagree; if rjieba ever differs, jieba is right.

Both run with jieba's HMM new-word discovery off (``HMM``). With it on, the engines differ (jieba-rs's HMM
keeps runs like 「2026-02-09」「PM_2.5」 whole, jieba does not) and it invents about 5,900 word types over the
corpora, many of them junk (和量, 于物, 地为, 主義的); the domain dictionary supplies the real new words instead.
"""

from reportlens.text.dictionary import (
    DATA_DIR,
    MAX_WORD_FREQ,
    RE_DICT_LINE,
    RE_DICT_WORD,
    STOPWORD_FILES,
    DictEntry,
    bundled_stopwords,
    freq_fits,
    join_stopwords,
    lines_of,
    parse_stopwords,
    parse_userdict,
    read_list,
)
from reportlens.text.engines import (
    DEFAULT_WORD_FREQ,
    ENGINES,
    HMM,
    TOTAL_BALANCE_WORD,
    Engine,
    engine_id,
    load_jieba,
    load_rjieba,
)
from reportlens.text.tables import (
    CLOSING_MARKS,
    LINE_BREAKS,
    RE_SENTENCE_END,
    SENTENCE_MARKS,
    TOKEN_COLUMNS,
    concat_token_tables,
    sentence_spans,
    token_table,
)
from reportlens.text.tokenizer import (
    HAN_RANGES,
    RE_HAN,
    RE_LATIN_TERM,
    RULES_REVISION,
    SINGLE_CHAR_POINTS,
    SINGLE_CHAR_TERMS,
    Mismatch,
    Tokenizer,
    build_tokenizer,
    content_set,
    engine_mismatch,
    token_lengths,
    tokenizer_version,
)

__all__ = [
    "CLOSING_MARKS",
    "DATA_DIR",
    "DEFAULT_WORD_FREQ",
    "ENGINES",
    "HAN_RANGES",
    "HMM",
    "LINE_BREAKS",
    "MAX_WORD_FREQ",
    "RE_DICT_LINE",
    "RE_DICT_WORD",
    "RE_HAN",
    "RE_LATIN_TERM",
    "RE_SENTENCE_END",
    "RULES_REVISION",
    "SENTENCE_MARKS",
    "SINGLE_CHAR_POINTS",
    "SINGLE_CHAR_TERMS",
    "STOPWORD_FILES",
    "TOKEN_COLUMNS",
    "TOTAL_BALANCE_WORD",
    "DictEntry",
    "Engine",
    "Mismatch",
    "Tokenizer",
    "build_tokenizer",
    "bundled_stopwords",
    "concat_token_tables",
    "content_set",
    "engine_id",
    "engine_mismatch",
    "freq_fits",
    "join_stopwords",
    "lines_of",
    "load_jieba",
    "load_rjieba",
    "parse_stopwords",
    "parse_userdict",
    "read_list",
    "sentence_spans",
    "token_lengths",
    "token_table",
    "tokenizer_version",
]
