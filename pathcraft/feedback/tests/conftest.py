"""Fixtures for the feedback tests: a small organisation, and requests whose links are read from the outbox."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from pathcraft.feedback import actions
from pathcraft.people.tests.factories import PASSWORD, make_person, small_org

LINK = re.compile(r"/feedback/answer/([A-Za-z0-9_-]+)/")


def tokens_in_outbox(start: int = 0) -> dict[str, str]:
    """Recipient email -> token, from the messages sent since ``start``."""
    found = {}
    for message in mail.outbox[start:]:
        match = LINK.search(message.body)
        if match:
            found[message.to[0]] = match.group(1)
    return found


def approve_outside(req, approver=None) -> None:
    """Have the subject's manager approve every outside address of ``req`` (their links are emailed then)."""
    from pathcraft.feedback.models import Invite

    approver = approver or req.subject.manager.user
    for invite in req.invites.filter(approval=Invite.Approval.PENDING):
        actions.decide_invite(invite, approver, True)


def answer(rating: int | str = 4, text: str = "", **ratings) -> dict:
    raw = {"ratings": {"coding": rating, **ratings}, "texts": {}}
    if text:
        raw["texts"]["does_well"] = text
    return raw


def login(client, person):
    assert client.login(username=person.email, password=PASSWORD)
    return client


@pytest.fixture
def org(db):
    people = small_org()
    org = people["org"]
    # Colleagues for the subject Dee Dev to ask (peers in the same organisation).
    for name in ("Ann Ash", "Ben Birch", "Cat Cedar", "Dov Dune"):
        people[name.split()[0].lower()] = make_person(org, name, manager=people["lead2"])
    return people


@pytest.fixture
def asked(org):
    """Dee asks Ann, Ben, Cat and Dov; returns (request, {email: token})."""
    start = len(mail.outbox)
    req = actions.create_request(
        org["dev"],
        [org["ann"], org["ben"], org["cat"], org["dov"]],
        activities=["coding", "code_review", "design"],
    )
    return req, tokens_in_outbox(start)
