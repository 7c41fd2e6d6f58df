"""Results of surveys per unit and period: counts, satisfaction rate, distributions, free text
and trends; and `satisfaction_rate`, which the indicator system reads.

Staff answers are shown only in groups of at least MIN_STAFF_GROUP, so that no single answer
can be traced. Results never narrow a staff group further than one unit (or one person
reviewed) in one period: no filter by version, date or sub-unit that would let two groups be
subtracted from each other.

Questions add up across versions by their code; each is labelled as its latest version says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from ducha.orgs.models import OrgUnit, Person

from . import periods as survey_periods
from .models import SCALE_MAX, SCALE_MIN, Answer, Choice, Question, Response, Survey

MIN_STAFF_GROUP = 5
TREND_MONTHS = 12


@dataclass(frozen=True)
class Satisfaction:
    """Answers on the key question, and how many were at or above the survey's threshold."""

    satisfied: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.satisfied / self.answered if self.answered else None

    @property
    def percent(self) -> float | None:
        return round(self.rate * 100, 1) if self.answered else None


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # of the answers to this question

    @property
    def percent(self) -> float:
        return round(self.share * 100, 1)


@dataclass(frozen=True)
class TextAnswer:
    id: int
    text: str
    moderation: str
    created_at: object

    @property
    def moderation_label(self) -> str:
        return str(Answer.Moderation(self.moderation).label) if self.moderation else ""


@dataclass
class QuestionResult:
    code: str
    text: str
    kind: str
    is_key: bool
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[TextAnswer] = field(default_factory=list)


@dataclass
class CellResults:
    """One unit (or one person reviewed there) in one period."""

    survey: Survey
    unit: OrgUnit
    period: str
    subject: Person | None
    responses: int
    hidden: bool
    satisfaction: Satisfaction | None = None
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def min_group(self) -> int:
        return MIN_STAFF_GROUP


@dataclass(frozen=True)
class Row:
    """One line of a table of units (or people) or of a trend."""

    key: object
    label: str
    responses: int
    hidden: bool
    satisfaction: Satisfaction | None


def is_hidden(survey: Survey, responses: int) -> bool:
    return survey.is_staff and responses < MIN_STAFF_GROUP


def _cell(survey: Survey, unit: OrgUnit, period: str, subject: Person | None) -> QuerySet:
    rows = Response.objects.filter(survey=survey, unit=unit, period=period)
    if subject is not None:
        rows = rows.filter(subject=subject)
    return rows


def countable(responses: QuerySet) -> QuerySet:
    """The responses whose answers may be shown: all public ones; staff ones only in groups
    of at least MIN_STAFF_GROUP with the same survey, unit, period and person reviewed. A
    unit's figures then add up only groups already shown, so nothing can be subtracted."""
    group = Response.objects.filter(
        survey=OuterRef("survey"), unit=OuterRef("unit"), period=OuterRef("period")
    )

    def size(rows):
        return Subquery(
            rows.order_by().values("survey").annotate(n=Count("id")).values("n"),
            output_field=IntegerField(),
        )

    return responses.annotate(
        cell_n=size(group.filter(subject__isnull=True)),
        subject_n=size(group.filter(subject=OuterRef("subject"))),
    ).filter(
        Q(survey__audience=Survey.Audience.PUBLIC)
        | Q(subject__isnull=True, cell_n__gte=MIN_STAFF_GROUP)
        | Q(subject__isnull=False, subject_n__gte=MIN_STAFF_GROUP)
    )


def cell_results(
    survey: Survey,
    unit: OrgUnit,
    period: str,
    *,
    subject: Person | None = None,
    approved_texts_only: bool = True,
) -> CellResults:
    """Everything the results page shows for one unit and period. Free text outside the
    office is limited to approved answers (`approved_texts_only`)."""
    responses = _cell(survey, unit, period, subject)
    count = responses.count()
    shown = countable(responses) if survey.is_staff else responses
    shown_count = count if shown is responses else shown.count()
    result = CellResults(
        survey=survey,
        unit=unit,
        period=period,
        subject=subject,
        responses=count,
        hidden=is_hidden(survey, shown_count),
    )
    if result.hidden or not shown_count:
        return result
    answers = Answer.objects.filter(response__in=shown.values("pk"))
    result.satisfaction = _satisfaction(survey, answers)
    result.questions = _questions(survey, answers, approved_texts_only)
    return result


def _satisfaction(survey: Survey, answers: QuerySet) -> Satisfaction:
    row = answers.filter(question__is_key=True).aggregate(
        answered=Count("id"),
        satisfied=Count("id", filter=Q(number__gte=survey.satisfaction_threshold)),
    )
    return Satisfaction(satisfied=row["satisfied"], answered=row["answered"])


def _questions(survey: Survey, answers: QuerySet, approved_only: bool) -> list[QuestionResult]:
    latest = _latest_questions(survey, answers)
    labels = _choice_labels(survey)
    answered = dict(
        answers.values_list("question__code")
        .order_by()
        .annotate(n=Count("response_id", distinct=True))
    )
    counts: dict[str, dict] = {}
    for code, value, number, n in (
        answers.exclude(question__kind=Question.Kind.TEXT)
        .values_list("question__code", "choice__value", "number")
        .order_by()
        .annotate(n=Count("id"))
    ):
        counts.setdefault(code, {})[value if value is not None else number] = n
    texts = answers.filter(question__kind=Question.Kind.TEXT).exclude(text="")
    if approved_only:
        texts = texts.filter(moderation=Answer.Moderation.APPROVED)
    text_rows: dict[str, list[TextAnswer]] = {}
    for pk, code, text, moderation, at in texts.order_by(
        "-response__created_at", "-id"
    ).values_list("id", "question__code", "text", "moderation", "response__created_at"):
        text_rows.setdefault(code, []).append(TextAnswer(pk, text, moderation, at))

    results = []
    for question in latest:
        item = QuestionResult(
            code=question.code,
            text=question.text,
            kind=question.kind,
            is_key=question.is_key,
            answered=answered.get(question.code, 0),
            texts=text_rows.get(question.code, []),
        )
        item.bars, item.mean = _bars(question, counts.get(question.code, {}), labels, item.answered)
        results.append(item)
    return results


def _latest_questions(survey: Survey, answers: QuerySet) -> list[Question]:
    """The current version's questions in order, then questions answered only in older
    versions, each code once, labelled as its latest version says."""
    codes = set(answers.values_list("question__code", flat=True).distinct())
    rows = Question.objects.filter(version__survey=survey).select_related("version")
    by_code: dict[str, Question] = {}
    for question in rows.order_by("-version__number", "order", "id"):
        by_code.setdefault(question.code, question)
    current = [q for q in by_code.values() if q.version_id == survey.current_version_id]
    older = [q for q in by_code.values() if q.version_id != survey.current_version_id]
    current.sort(key=lambda q: (q.order, q.pk))
    older = [q for q in older if q.code in codes]
    older.sort(key=lambda q: int(q.code[1:]) if q.code[1:].isdigit() else 0)
    return current + older


def _choice_labels(survey: Survey) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    rows = Choice.objects.filter(question__version__survey=survey).values_list(
        "question__code", "value", "label"
    )
    for code, value, label in rows.order_by("-question__version__number", "order"):
        labels.setdefault((code, value), label)
    return labels


def _bars(
    question: Question, counts: dict, labels: dict, answered: int
) -> tuple[list[Bar], float | None]:
    def bar(label: str, n: int) -> Bar:
        return Bar(label=label, count=n, share=(n / answered) if answered else 0.0)

    if question.kind == Question.Kind.SCALE:
        bars = [bar(str(v), counts.get(v, 0)) for v in range(SCALE_MAX, SCALE_MIN - 1, -1)]
        total = sum(counts.get(v, 0) for v in range(SCALE_MIN, SCALE_MAX + 1))
        weighted = sum(v * counts.get(v, 0) for v in range(SCALE_MIN, SCALE_MAX + 1))
        return bars, (round(weighted / total, 2) if total else None)
    if question.kind == Question.Kind.YES_NO:
        return [bar(_("Yes"), counts.get(1, 0)), bar(_("No"), counts.get(0, 0))], None
    if question.has_choices:
        values = [c.value for c in question.choices.all()]
        values += sorted(v for v in counts if v not in values)
        return [bar(labels.get((question.code, v), v), counts.get(v, 0)) for v in values], None
    return [], None


# --- tables and trends -----------------------------------------------------------------------


def unit_table(survey: Survey, period: str, units) -> list[Row]:
    """Each unit's response count and satisfaction in the period; staff groups under five
    show their count only."""
    units = list(units)
    ids = [u.pk for u in units]
    responses = Response.objects.filter(survey=survey, period=period, unit_id__in=ids)
    return _rows(survey, responses, "unit_id", [(u.pk, u.name) for u in units])


def subject_table(survey: Survey, unit: OrgUnit, period: str) -> list[Row]:
    """For a review of party members: each person reviewed at `unit`."""
    responses = Response.objects.filter(
        survey=survey, unit=unit, period=period, subject__isnull=False
    )
    ids = list(responses.values_list("subject_id", flat=True).distinct())
    people = Person.objects.filter(pk__in=ids).order_by("name", "id").values_list("pk", "name")
    return _rows(survey, responses, "subject_id", list(people))


def trend(survey: Survey, unit: OrgUnit, period: str, months: int = TREND_MONTHS) -> list[Row]:
    """The unit's count and satisfaction in each of the `months` periods up to `period`."""
    if not survey.is_monthly:
        return []
    span = survey_periods.previous(period, months)
    responses = Response.objects.filter(survey=survey, unit=unit, period__in=span)
    return _rows(survey, responses, "period", [(p, p) for p in span])


def _rows(survey: Survey, responses: QuerySet, group: str, keys: list[tuple]) -> list[Row]:
    """Rows by `group` (a Response field): the count of every response, and satisfaction
    from those that may be shown."""
    counts = dict(responses.values_list(group).order_by().annotate(n=Count("id")))
    shown = countable(responses) if survey.is_staff else responses
    shown_counts = (
        counts
        if shown is responses
        else dict(shown.values_list(group).order_by().annotate(n=Count("id")))
    )
    key = _key_answers(survey).filter(response__in=shown.values("pk"))
    rates = _satisfaction_by(key, f"response__{group}", survey.satisfaction_threshold)
    rows = []
    for value, label in keys:
        hidden = is_hidden(survey, shown_counts.get(value, 0))
        rows.append(
            Row(
                key=value,
                label=label,
                responses=counts.get(value, 0),
                hidden=hidden,
                satisfaction=None if hidden else rates.get(value),
            )
        )
    return rows


def _key_answers(survey: Survey) -> QuerySet:
    return Answer.objects.filter(response__survey=survey, question__is_key=True)


def _satisfaction_by(answers: QuerySet, group: str, threshold: int) -> dict:
    rows = (
        answers.values_list(group)
        .order_by()
        .annotate(answered=Count("id"), satisfied=Count("id", filter=Q(number__gte=threshold)))
    )
    return {k: Satisfaction(satisfied=s, answered=a) for k, a, s in rows}


# --- for the indicator system ----------------------------------------------------------------


def satisfaction_counts(
    unit: OrgUnit, period: str, *, survey: Survey | None = None, subtree: bool = False
) -> Satisfaction:
    """Key-question answers about `unit` in `period` ("2026-05"), and how many were satisfied.

    Reads `survey` alone, or else every non-draft survey of kind SATISFACTION. `subtree`
    adds the answers about units under `unit` (a bureau's rate over its hospitals). Staff
    answers count only from groups (survey, unit) of at least MIN_STAFF_GROUP responses.
    """
    responses = Response.objects.filter(period=period)
    if survey is not None:
        responses = responses.filter(survey=survey)
    else:
        responses = responses.filter(survey__kind=Survey.Kind.SATISFACTION).exclude(
            survey__status=Survey.Status.DRAFT
        )
    if subtree:
        responses = responses.filter(unit__path__startswith=unit.path)
    else:
        responses = responses.filter(unit=unit)
    answers = Answer.objects.filter(
        response__in=countable(responses).values("pk"), question__is_key=True
    )
    row = answers.aggregate(
        answered=Count("id"),
        satisfied=Count("id", filter=Q(number__gte=F("response__survey__satisfaction_threshold"))),
    )
    return Satisfaction(satisfied=row["satisfied"], answered=row["answered"])


def satisfaction_rate(
    unit: OrgUnit, period: str, *, survey: Survey | None = None, subtree: bool = False
) -> float | None:
    """The satisfaction rate (满意率) of `unit` in `period`, from 0 to 1, or None when nobody
    answered: the share of key-question answers at or above each survey's threshold (4 of 5
    unless the survey says otherwise). Arguments as `satisfaction_counts`; an indicator
    computed from Ducha's own data (DOMAIN §10) calls this."""
    return satisfaction_counts(unit, period, survey=survey, subtree=subtree).rate
