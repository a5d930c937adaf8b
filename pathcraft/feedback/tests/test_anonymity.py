"""The release rule: thresholds, batches, per-activity minimum, text order, and attacks by difference."""

import statistics
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathcraft.errors import InputError
from pathcraft.feedback.anonymity import (
    Answer,
    Release,
    ReleaseState,
    ShareChoice,
    check_k,
    is_subset,
    release,
    shared_view,
)

ACTIVITIES = ("code_review", "design", "mentoring")


def answer(seq, review=4, design=None, mentoring=None, **texts):
    ratings = {"code_review": review, "design": design, "mentoring": mentoring}
    return Answer(sequence=seq, ratings=ratings, texts=texts)


def many(n, **kwargs):
    return [answer(i, **kwargs) for i in range(1, n + 1)]


def content(r: Release) -> dict:
    """What a release reveals, apart from whether it is final."""
    public = r.to_public_dict()
    del public["final"]
    return public


# --- threshold -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "k", "included"),
    [
        (0, 3, 0),
        (1, 3, 0),
        (2, 3, 0),
        (3, 3, 3),  # at k: results appear
        (4, 3, 3),  # a fourth answer waits for a batch of k
        (5, 3, 3),
        (6, 3, 6),
        (4, 5, 0),
        (5, 5, 5),
        (9, 5, 5),
        (10, 5, 10),
    ],
)
def test_results_appear_at_k_and_move_in_steps_of_k(n, k, included):
    r = release(many(n, does_well="clear reviews"), k)
    assert r.received == n
    assert r.included == included
    assert r.visible == (included > 0)
    assert r.held_back == n - included


def test_below_k_only_the_count_is_shown():
    r = release(many(2, review=5, does_well="great"), 3)
    public = r.to_public_dict()
    # Not even the count of answers received: it would move answer by answer and date each one.
    assert "received" not in public and "held_back" not in public and public["included"] == 0
    assert public["visible"] is False
    assert public["activities"] == [] and public["texts"] == {}


def test_at_k_aggregates_use_mean_sample_spread_and_n():
    answers = [answer(1, review=2), answer(2, review=4), answer(3, review=5)]
    review = release(answers, 3).activity("code_review")
    assert review.shown and review.n == 3
    assert review.mean == pytest.approx(statistics.mean([2, 4, 5]))
    assert review.spread == pytest.approx(statistics.stdev([2, 4, 5]))  # n - 1 in the denominator


@pytest.mark.parametrize("bad", [2, 1, 0, -3])
def test_k_below_three_is_refused(bad):
    with pytest.raises(InputError, match=r"must be at least 3 \(got " + str(bad)):
        release(many(5), bad)


@pytest.mark.parametrize("bad", [True, 2.5, "3", None])
def test_k_must_be_a_whole_number(bad):
    with pytest.raises(InputError, match="whole number"):
        check_k(bad)


# --- late answers and the difference trick --------------------------------------------------------


def test_fourth_answer_changes_nothing_that_is_revealed():
    first = release([answer(1, 3), answer(2, 4), answer(3, 4)], 3)
    # the late answer is extreme on purpose: any leak would move the mean
    fourth = release([answer(1, 3), answer(2, 4), answer(3, 4), answer(4, 1, stop="stop X")], 3, False, first)
    assert content(fourth) == content(first)
    assert fourth.received == 4 and fourth.held_back == 1
    assert "stop X" not in str(fourth.to_public_dict())


def test_single_late_rating_of_one_activity_is_not_readable_by_difference():
    # answers 1-3 rate design; of the next batch only answer 4 has seen design
    base = [answer(i, design=4) for i in (1, 2, 3)]
    later = [answer(4, design=1), answer(5), answer(6)]
    first = release(base, 3)
    second = release(base + later, 3, False, first)
    assert second.included == 6
    assert second.activity("design") == first.activity("design")  # still the first three ratings
    assert second.activity("code_review").n == 6  # the rest moved on
    # two more design ratings complete a batch of three new ones: now it moves, by three
    more = [answer(7, design=2), answer(8, design=3), answer(9)]
    third = release(base + later + more, 3, False, second)
    assert third.activity("design").n == 6
    assert third.activity("design").mean == pytest.approx(statistics.mean([4, 4, 4, 1, 2, 3]))


def test_closing_does_not_release_a_small_last_batch():
    answers = many(5, does_well="x")
    shown = release(answers[:3], 3)
    final = release(answers, 3, True, shown)
    assert final.final and final.included == 3 and final.held_back == 2


def test_on_close_policy_shows_nothing_until_closed_then_everything_at_once():
    answers = many(5, does_well="kind")
    assert not release(answers, 3, False, None, policy="on_close").visible
    closed = release(answers, 3, True, None, policy="on_close")
    assert closed.included == 5
    assert closed.texts["does_well"] == ("kind",) * 5


def test_on_close_with_fewer_than_k_answers_stays_hidden():
    assert not release(many(2), 3, True, None, policy="on_close").visible


def test_unknown_policy_is_refused():
    with pytest.raises(InputError, match="unknown release policy 'sometimes'"):
        release(many(3), 3, policy="sometimes")


def test_removing_a_released_answer_is_refused_rather_than_leaked():
    answers = many(6)
    shown = release(answers, 3)
    with pytest.raises(InputError, match="answers already released have changed"):
        release(answers[:2] + answers[3:], 3, False, shown)


def test_inserting_an_answer_before_released_ones_is_refused():
    shown = release([answer(2), answer(3), answer(4)], 3)
    with pytest.raises(InputError, match="answers already released have changed"):
        release([answer(1), answer(2), answer(3), answer(4)], 3, False, shown)


def test_changed_released_rating_is_refused():
    shown = release([answer(1, design=3), answer(2, design=3), answer(3, design=3)], 3)
    changed = [answer(1, design=None), answer(2, design=3), answer(3, design=3)] + many(6)[3:]
    with pytest.raises(InputError, match="released ratings of activity:design have changed"):
        release(changed, 3, False, shown)


def test_duplicate_sequence_numbers_are_refused():
    with pytest.raises(InputError, match="share the sequence number 2"):
        release([answer(1), answer(2), answer(2)], 3)


ratings = st.one_of(st.none(), st.integers(1, 5))
answer_content = st.tuples(ratings, ratings, ratings, st.sampled_from(["", "a", "b", "c", "d"]))


@settings(max_examples=150, deadline=None)
@given(
    contents=st.lists(answer_content, max_size=14),
    k=st.integers(3, 5),
    views=st.lists(st.integers(0, 14), max_size=8),
    keep_state=st.booleans(),
)
def test_consecutive_views_never_differ_by_fewer_than_k(contents, k, views, keep_state):
    answers = [
        Answer(i + 1, dict(zip(ACTIVITIES, c[:3], strict=True)), {"stop": c[3]})
        for i, c in enumerate(contents)
    ]
    previous = None
    state = None
    for n in sorted({min(v, len(answers)) for v in views}):
        current = release(answers[:n], k, False, state)
        # the same result whether or not the caller kept the state: the grid is canonical
        assert content(current) == content(release(answers[:n], k))
        if previous is not None:
            step = current.included - previous.included
            assert step == 0 or step >= k
            if step == 0:
                assert content(current) == content(previous)
            before = {s.key: s for s in previous.activities}
            for item in current.activities:
                old = before.get(item.key)
                old_n = old.n if old is not None and old.shown else 0
                new_n = item.n if item.shown else 0
                assert new_n == old_n and item == (old or item) or new_n - old_n >= k
            for question, texts in current.texts.items():
                grown = len(texts) - len(previous.texts.get(question, ()))
                assert grown == 0 or step >= k
        for item in current.activities:
            assert not item.shown or item.n >= k
        previous = current
        state = current if keep_state else None


# --- per-activity minimum ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("design_ratings", "shown"),
    [
        ((None, None, None), False),
        ((4, None, None), False),
        ((4, 2, None), False),
        ((4, 2, 5), True),
    ],
)
def test_an_activity_needs_k_raters_of_its_own(design_ratings, shown):
    answers = [answer(i + 1, design=d) for i, d in enumerate(design_ratings)]
    design = release(answers, 3).activity("design")
    assert design.shown is shown
    if not shown:
        assert (design.n, design.mean, design.spread) == (None, None, None)


# --- free text -----------------------------------------------------------------------------------

TEXTS = [
    "Explains trade-offs well",
    "Start writing design docs",
    "keeps the build green",
    "Zebra",
    "ok",
    "Äpfel",
]


@settings(max_examples=60, deadline=None)
@given(order=st.permutations(range(len(TEXTS))), key=st.binary(max_size=16))
def test_text_order_does_not_depend_on_submission_order(order, key):
    reference = release([answer(i + 1, does_well=t) for i, t in enumerate(TEXTS)], 3, order_key=key)
    shuffled = release([answer(i + 1, does_well=TEXTS[j]) for i, j in enumerate(order)], 3, order_key=key)
    assert shuffled.texts == reference.texts
    assert sorted(shuffled.texts["does_well"]) == sorted(TEXTS)


def test_texts_are_split_per_question_with_nothing_linking_them():
    answers = [answer(i, does_well=f"well {i}", stop=f"stop {i}") for i in (1, 2, 3)]
    answers += [answer(4, does_well="   "), answer(5), answer(6)]  # blank texts are not listed
    r = release(answers, 3)
    assert r.included == 6
    assert sorted(r.texts["does_well"]) == ["well 1", "well 2", "well 3"]
    assert set(r.texts) == {"does_well", "stop"}
    assert sorted(r.texts["stop"]) == ["stop 1", "stop 2", "stop 3"]
    public = r.to_public_dict()
    assert "state" not in public and "sequence" not in str(public)
    assert not any(key in str(public) for key in ("time", "date", "email", "name"))


# --- what the manager sees ------------------------------------------------------------------------


def test_manager_sees_only_the_chosen_subset_of_the_same_release():
    full = release(
        [answer(i, review=4, design=3, does_well="w", stop="s") for i in (1, 2, 3)],
        3,
    )
    part = shared_view(
        full, ShareChoice(activities=frozenset({"code_review"}), text_questions=frozenset({"does_well"}))
    )
    assert [s.key for s in part.activities] == ["code_review"]
    assert set(part.texts) == {"does_well"}
    assert is_subset(part, full)
    assert not is_subset(full, part)
    assert part.state == ReleaseState()


def test_manager_view_of_a_release_below_k_shows_nothing():
    full = release(many(2, does_well="w"), 3)
    part = shared_view(
        full, ShareChoice(activities=frozenset({"code_review"}), text_questions=frozenset({"does_well"}))
    )
    assert not part.visible and part.texts == {} and part.activities == ()


def test_sharing_something_not_in_the_results_is_refused():
    full = release(many(3), 3)
    with pytest.raises(InputError, match="cannot share what is not in the results: activity public_speaking"):
        shared_view(full, ShareChoice(activities=frozenset({"public_speaking"})))


def test_is_subset_rejects_a_view_from_another_release():
    small = release(many(3, review=2), 3)
    large = release(many(6, review=4), 3)
    assert not is_subset(shared_view(large, ShareChoice(activities=frozenset({"code_review"}))), small)


# --- state ---------------------------------------------------------------------------------------


def test_state_round_trips_and_gives_the_same_next_release():
    answers = [answer(i, design=i % 5 + 1, does_well=f"t{i}") for i in range(1, 8)]
    first = release(answers[:4], 3)
    restored = ReleaseState.from_dict(first.state.to_dict())
    assert restored == first.state
    assert content(release(answers, 3, False, restored)) == content(release(answers, 3, False, first))


def test_damaged_state_is_refused():
    with pytest.raises(InputError, match="stored release state is damaged"):
        ReleaseState.from_dict({"items": {}})


def test_engines_import_nothing_from_django():
    code = (
        "import sys; import pathcraft.feedback.anonymity, pathcraft.feedback.calibration, "
        "pathcraft.feedback.questions, pathcraft.feedback.tokens; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
