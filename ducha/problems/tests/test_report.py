"""Reporting a problem: who may, what it keeps, and the refusals."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.orgs.tests.factories import PersonFactory
from ducha.problems import services
from ducha.problems.models import Category, Event, Problem
from ducha.visits.models import Visit

from .factories import report


@pytest.fixture
def visit(tree, sam, campaign, village):
    visit = Visit.objects.create(
        campaign=campaign,
        unit=tree.hospital,
        date=datetime.date(2026, 5, 20),
        client_token="visit-1",
        created_by=sam,
    )
    visit.places.add(village)
    return visit


def test_it_lets_staff_report_a_problem_found_on_a_visit(
    tree, sam, dora, category, visit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        problem = report(sam, tree.hospital, category, source=Problem.Source.OTHER, visit=visit)

    problem = Problem.objects.get(pk=problem.pk)
    assert problem.status == Problem.Status.REPORTED
    # Found on a visit: the source and the campaign follow the visit.
    assert problem.source == Problem.Source.VISIT
    assert problem.campaign_id == visit.campaign_id
    assert problem.reporter == sam
    assert problem.unit == problem.found_unit == tree.hospital
    event = Event.objects.get(problem=problem)
    assert (event.kind, event.actor, event.to_unit) == (Event.Kind.REPORTED, sam, tree.hospital)
    entry = AuditEntry.objects.get(object_type="problems.problem", object_id=str(problem.pk))
    assert entry.action == "create" and entry.actor_name == "sam"
    assert entry.after["title"] == "门诊导诊台无人值守"
    # Dora, who runs the hospital's problems, is told.
    assert dora.notifications.filter(key=f"problems:reported:{event.pk}").exists()


def test_it_refuses_carol_of_another_county(tree, carol, category):
    with pytest.raises(PermissionDenied):
        report(carol, tree.hospital, category)
    assert not Problem.objects.exists()


def test_it_refuses_someone_who_neither_visits_nor_handles_problems(tree, category):
    from ducha.orgs.models import Role
    from ducha.orgs.tests.factories import make_member

    inspector = make_member("ivan", tree.county, Role.INSPECTOR).user
    with pytest.raises(PermissionDenied):
        report(inspector, tree.hospital, category)


def test_it_refuses_a_category_another_county_added(tree, sam, carol):
    foreign = Category.objects.create(code="x-1", name="西山自定义", unit=tree.other_county)
    with pytest.raises(ValidationError) as error:
        report(sam, tree.hospital, foreign)
    assert "category" in error.value.message_dict


def test_an_office_adds_a_category_its_units_can_use(tree, alice, sam, carol):
    category = services.category_create(actor=alice, unit=tree.county, name="行风建设")
    assert report(sam, tree.hospital, category).category == category
    with pytest.raises(ValidationError):
        report(carol, tree.other_hospital, category)
    with pytest.raises(ValidationError):
        services.category_create(actor=alice, unit=tree.county, name="服务态度")


def test_it_refuses_an_empty_title(tree, sam, category):
    with pytest.raises(ValidationError) as error:
        report(sam, tree.hospital, category, title="   ")
    assert "title" in error.value.message_dict


def test_a_problem_is_never_deleted(tree, sam, category):
    from django.db.models import ProtectedError

    problem = report(sam, tree.hospital, category)
    with pytest.raises(ProtectedError):
        problem.delete()
    assert Problem.objects.filter(pk=problem.pk).exists()


def test_the_builtin_categories_are_there(db):
    names = set(Category.objects.filter(builtin=True).values_list("name", flat=True))
    assert {"服务态度", "管理", "医德医风", "红包回扣", "环境", "安全隐患"} <= names
    assert PersonFactory  # factories import cleanly for the other modules
