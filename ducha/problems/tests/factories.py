"""Builders for the problem tests: a campaign, problems at each step of the loop, files."""

from __future__ import annotations

import datetime

import pytest

from ducha.campaigns.models import Campaign, Participant
from ducha.orgs.models import Person
from ducha.problems import services
from ducha.problems.models import Category, Problem
from ducha.submissions.tests.factories import docx_bytes, jpeg_bytes, png_bytes, upload

__all__ = ["docx_bytes", "jpeg_bytes", "png_bytes", "upload"]

DEADLINE = datetime.date(2026, 6, 30)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def campaign(tree):
    """The county's active campaign in which both of its hospitals take part."""
    campaign = Campaign.objects.create(
        title="东湖区作风整顿专项活动", unit=tree.county, status=Campaign.Status.ACTIVE
    )
    Participant.objects.bulk_create(
        Participant(campaign=campaign, unit=u) for u in (tree.hospital, tree.hospital2)
    )
    return campaign


@pytest.fixture
def category(db):
    return Category.objects.get(code="service_attitude")


def photo(name: str = "before.png"):
    return upload(png_bytes(), name)


def evidence(name: str = "整改报告.docx"):
    return upload(docx_bytes("整改情况报告"), name)


def person_of(user) -> Person:
    return Person.objects.get(user=user)


def report(actor, unit, category, **fields) -> Problem:
    values = {
        "title": "门诊导诊台无人值守",
        "source": Problem.Source.VISIT,
        "description": "上午九点导诊台无人，患者排队询问无人应答。",
        **fields,
    }
    return services.problem_report(actor=actor, unit=unit, category=category, **values)


def assigned(reporter, handler, unit, category, **fields) -> Problem:
    problem = report(reporter, unit, category, **fields)
    return services.problem_assign(actor=handler, problem=problem, unit=unit)


def rectifying(reporter, handler, unit, category, *, deadline=DEADLINE, **fields) -> Problem:
    problem = assigned(reporter, handler, unit, category, **fields)
    services.rectification_set(
        actor=handler,
        problem=problem,
        measures="安排专人轮流值守导诊台",
        target="导诊台工作时间有人值守",
        deadline=deadline,
        responsible_person=person_of(handler),
    )
    problem.refresh_from_db()
    return problem


def claimed(reporter, handler, unit, category, *, files=None, **fields) -> Problem:
    problem = rectifying(reporter, handler, unit, category, **fields)
    services.rectification_claim(
        actor=handler,
        problem=problem,
        note="已排班，导诊台全天有人值守",
        files=files if files is not None else [evidence()],
    )
    problem.refresh_from_db()
    return problem
