"""Due dates of a requirement's occurrences and the end of the due day in CST."""

import datetime
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from ducha.campaigns.models import Campaign
from ducha.submissions import periods
from ducha.submissions.models import Requirement

D = datetime.date
JUNE_18 = D(2012, 6, 18)
UTC = ZoneInfo("UTC")


def requirement(recurrence="once", due=JUNE_18, until=None, campaign_end=None):
    # Unsaved rows: occurrences are computed from the fields alone.
    campaign = Campaign(title="t", ends_on=campaign_end)
    return Requirement(campaign=campaign, due_date=due, recurrence=recurrence, repeat_until=until)


def test_the_due_day_ends_at_midnight_china_time():
    end = periods.due_at(D(2012, 6, 18))
    assert end.astimezone(UTC) == datetime.datetime(2012, 6, 18, 15, 59, 59, 999999, UTC)
    assert datetime.datetime(2012, 6, 18, 15, 59, 59, tzinfo=UTC) <= end
    assert datetime.datetime(2012, 6, 18, 16, 0, 0, tzinfo=UTC) > end


def test_today_is_the_date_in_china():
    with freeze_time("2012-06-18 15:59:59"):
        assert periods.today_cst() == D(2012, 6, 18)
    with freeze_time("2012-06-18 16:00:00"):
        assert periods.today_cst() == D(2012, 6, 19)


def test_a_one_off_requirement_is_due_once():
    assert periods.occurrences(requirement(until=D(2012, 12, 31))) == [D(2012, 6, 18)]


def test_a_weekly_brief_is_due_every_week_up_to_its_last_date():
    dates = periods.occurrences(requirement("weekly", D(2012, 6, 1), until=D(2012, 6, 29)))
    assert dates == [D(2012, 6, 1), D(2012, 6, 8), D(2012, 6, 15), D(2012, 6, 22), D(2012, 6, 29)]


def test_a_monthly_report_keeps_its_day_and_falls_back_in_short_months():
    dates = periods.occurrences(requirement("monthly", D(2012, 1, 31), campaign_end=D(2012, 5, 1)))
    assert dates == [D(2012, 1, 31), D(2012, 2, 29), D(2012, 3, 31), D(2012, 4, 30)]


def test_without_an_end_a_recurrence_runs_for_a_year():
    dates = periods.occurrences(requirement("monthly", D(2012, 1, 15)))
    assert dates[0] == D(2012, 1, 15)
    assert dates[-1] == D(2013, 1, 15)
    assert len(dates) == 13


def test_the_dates_so_far_are_the_past_ones_and_the_next():
    weekly = requirement("weekly", D(2012, 6, 1), until=D(2012, 6, 29))
    assert periods.occurrences_so_far(weekly, D(2012, 6, 10)) == [
        D(2012, 6, 1),
        D(2012, 6, 8),
        D(2012, 6, 15),
    ]
    assert periods.occurrences_so_far(weekly, D(2012, 6, 8)) == [D(2012, 6, 1), D(2012, 6, 8)]
    assert periods.current_due_date(weekly, D(2012, 6, 9)) == D(2012, 6, 15)
    assert periods.current_due_date(weekly, D(2012, 8, 1)) == D(2012, 6, 29)
