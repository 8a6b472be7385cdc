"""Bigram similarity (``core.similarity``): pure, used by suggestions (similar open items) and
petitions (repeats)."""

from __future__ import annotations

from renda.core import similarity


def test_similarity_bigrams() -> None:
    assert similarity.bigrams("公交 站台") == {"公交", "站台"}
    assert similarity.bigrams("灯") == {"灯"}
    assert similarity.score("修建公交车站台", "", "修建公交车站台", "x") == 1.0
    assert similarity.score("路灯", "", "修建公交车站台", "") == 0.0


def test_best_keeps_the_most_alike_above_the_threshold() -> None:
    rows = [
        (1, "修建公交车站台", "村口没有公交站台"),
        (2, "路灯不亮", None),
        (3, "修建公交车站台", ""),
        (4, "建议修建公交站台", "村口群众等车难"),
    ]
    best = similarity.best(rows, title="修建公交车站台", content="")
    # Equal scores: the newer (higher id) first; 路灯不亮 is below the threshold.
    assert [pk for _score, pk in best] == [3, 1, 4]
    assert best[0][0] == 1.0 and all(score >= similarity.THRESHOLD for score, _pk in best)
    assert similarity.best(rows, title="修建公交车站台", limit=1) == [(1.0, 3)]
    assert similarity.best(rows, title="天气") == []


def test_best_scores_each_candidate_as_text_score_does() -> None:
    """``best`` writes ``Text.score`` out in its loop: the same score for every pair, including
    texts without bigrams (blank, punctuation only) on either side and the title-only case."""
    import random

    words = ["修建", "公交", "站台", "路灯", "不亮", "村口", "垃圾", "清运", "灯", "！", " ", "，", "", "A1"]
    rng = random.Random(19)

    def text() -> str:
        return "".join(rng.choice(words) for _ in range(rng.randint(0, 6)))

    for _ in range(300):
        title, content = text(), text()
        rows = [(pk, text(), rng.choice([None, text()])) for pk in range(1, 30)]
        expected = sorted(((score, pk) for pk, t, c in rows
                           if (score := similarity.Text(title, content).score(t, c or "")) >= similarity.THRESHOLD),
                          key=lambda sp: (-sp[0], -sp[1]))
        assert similarity.best(rows, title=title, content=content, limit=len(rows)) == expected
        assert similarity.best(rows, title=title, content=content) == expected[:5]
