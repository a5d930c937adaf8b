"""Feedback on the competencies of the subject's framework level, read from their career position."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core import mail

from pathcraft.errors import InputError
from pathcraft.feedback import actions, sources
from pathcraft.feedback.models import FeedbackRequest
from pathcraft.feedback.tests.conftest import login, tokens_in_outbox
from pathcraft.paths import actions as paths_actions
from pathcraft.paths.frameworks.loading import default_framework
from pathcraft.paths.frameworks.model import Position


@pytest.fixture
def positioned(org):
    """Dee Dev stands at the first engineering level of pathcraft's default framework."""
    framework = paths_actions.active_framework(org["org"])
    data = default_framework()
    track = data.tracks[0]
    level = track.levels[1] if len(track.levels) > 1 else track.levels[0]
    paths_actions.set_position(org["dev"], framework, current=f"{track.id}/{level.id}")
    expected = []
    for competency in level.competencies:
        area = data.area(competency.area)
        pair = (competency.area, area.name if area else competency.area)
        if pair not in expected:
            expected.append(pair)
    assert expected, "the default framework's levels name their competencies"
    return org, Position(track.id, level.id), expected


def test_competencies_come_from_the_current_level(positioned):
    org, _, expected = positioned
    assert sources.framework_competencies(org["dev"]) == expected


def test_no_position_or_a_vanished_level_gives_none(org):
    assert sources.framework_competencies(org["dev"]) == []
    framework = paths_actions.active_framework(org["org"])
    row = paths_actions.set_position(org["dev"], framework)
    row.current = "no-such-track/l9"
    row.save()
    assert sources.framework_competencies(org["dev"]) == []


def test_a_request_with_competencies_asks_them_and_accepts_ratings(positioned):
    org, _, expected = positioned
    start = len(mail.outbox)
    request = actions.create_request(
        org["dev"], [org["ann"], org["ben"], org["cat"]], activities=["coding"], include_competencies=True
    )
    assert request.include_competencies
    assert [tuple(pair) for pair in request.competencies] == expected
    questionnaire = actions.questionnaire_for(request)
    assert [q.key for q in questionnaire.competencies] == [key for key, _ in expected]
    token = tokens_in_outbox(start)[org["ann"].email]
    actions.submit_answer(token, {"ratings": {"coding": 4}, "competency_ratings": {expected[0][0]: 5}})
    with pytest.raises(InputError):  # a competency the request did not ask about is refused
        actions.submit_answer(tokens_in_outbox(start)[org["ben"].email], {"competency_ratings": {"nope": 3}})


def test_without_a_position_the_flag_asks_activities_only(org):
    request = actions.create_request(
        org["dev"], [org["ann"], org["ben"], org["cat"]], activities=["coding"], include_competencies=True
    )
    assert not request.include_competencies and request.competencies == []


def test_the_form_offers_the_levels_competencies_and_sends_them(client, positioned):
    org, _, expected = positioned
    login(client, org["dev"])
    page = client.get("/feedback/new/").content.decode()
    assert "Competencies of your level" in page and expected[0][1] in page
    response = client.post(
        "/feedback/new/",
        {"people": [org["ann"].pk, org["ben"].pk, org["cat"].pk], "activities": ["coding"], "k": "3",
         "competencies": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    request = FeedbackRequest.objects.get(subject=org["dev"])
    assert [tuple(pair) for pair in request.competencies] == expected


def test_the_form_says_how_to_get_competencies_without_a_position(client, org):
    login(client, org["dev"])
    page = client.get("/feedback/new/").content.decode()
    assert "Competencies of your level" not in page
    assert "Set your current position" in page


def test_cli_flag_includes_competencies(positioned):
    org, _, expected = positioned
    from pathcraft.feedback.cli import request_cmd

    result = CliRunner().invoke(
        request_cmd,
        ["--subject", org["dev"].email, "--to", org["ann"].email, "--to", org["ben"].email,
         "--to", org["cat"].email, "--competencies"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    request = FeedbackRequest.objects.get(subject=org["dev"])
    assert [tuple(pair) for pair in request.competencies] == expected
