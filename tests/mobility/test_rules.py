"""The rules of the mobility workflow live in its services and its database, not in a form:
a script or another screen that skips the public form meets the same refusals."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from mobility import services
from mobility.models import Application, Call
from mobility.models.applications import Status
from mobility.models.calls import CallState
from tests.factories import CallFactory, ProgrammeFactory
from tests.mobility.helpers import open_call_with_destinations, submit_application

pytestmark = pytest.mark.django_db


def test_the_service_refuses_a_student_who_names_no_programme():
    call, _destinations = open_call_with_destinations()
    with pytest.raises(services.ApplicantRefused) as refusal:
        submit_application(call, programme=None, year_of_study=None)
    assert refusal.value.message_dict == {
        "programme": ["Indiquez la formation que vous suivez."],
        "year_of_study": ["Indiquez votre année de formation."],
    }
    assert not Application.objects.exists()


def test_the_service_refuses_a_programme_for_someone_who_is_not_a_student():
    call, _destinations = open_call_with_destinations(audience="everyone")
    with pytest.raises(services.ApplicantRefused) as refusal:
        submit_application(call, category="trainer", programme=ProgrammeFactory.create(), year_of_study=None)
    assert list(refusal.value.message_dict) == ["programme"]
    assert not Application.objects.exists()


def test_the_database_refuses_a_student_without_a_programme_too():
    application = submit_application()
    with pytest.raises(IntegrityError):
        Application.objects.filter(pk=application.pk).update(programme=None)


def test_a_trainer_applies_without_a_programme():
    call, _destinations = open_call_with_destinations(audience="everyone")
    application = submit_application(call, category="trainer", year_of_study=None)
    assert application.programme is None


@pytest.mark.parametrize(
    ("status", "by_applicant", "to_status", "allowed"),
    [
        (Status.SUBMITTED, False, Status.UNDER_REVIEW, True),
        (Status.SUBMITTED, False, Status.ACCEPTED, False),
        (Status.UNDER_REVIEW, False, Status.WAITLISTED, True),
        (Status.REJECTED, False, Status.ACCEPTED, False),
        (Status.ACCEPTED, True, Status.WITHDRAWN, True),
        (Status.COMPLETED, True, Status.WITHDRAWN, False),
        (Status.SUBMITTED, True, Status.ACCEPTED, False),
        (Status.SUBMITTED, False, "inconnu", False),
    ],
)
def test_one_judge_of_the_moves_and_the_service_obeys_it(status, by_applicant, to_status, allowed):
    application = submit_application()
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    refusal = services.transition_refusal(
        application=application, to_status=to_status, by_applicant=by_applicant
    )
    assert (refusal is None) == allowed
    if allowed:
        services.application_transition(
            application=application, to_status=to_status, by_applicant=by_applicant
        )
        assert application.status == to_status
    else:
        with pytest.raises(services.TransitionRefused) as refused:
            services.application_transition(
                application=application, to_status=to_status, by_applicant=by_applicant
            )
        assert refused.value.messages == [refusal]
        application.refresh_from_db()
        assert application.status == status


def test_staff_moves_offered_are_those_the_judge_allows():
    application = submit_application()
    for status in Status:
        Application.objects.filter(pk=application.pk).update(status=status)
        application.refresh_from_db()
        offered = services.allowed_transitions(application)
        judged = [
            s for s in Status if services.transition_refusal(application=application, to_status=s) is None
        ]
        assert offered == judged


def test_a_calls_state_is_the_same_in_python_and_in_the_database_at_every_boundary():
    opens = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    closes = opens + datetime.timedelta(days=10)
    call = CallFactory.create(opens_at=opens, closes_at=closes)
    second = datetime.timedelta(seconds=1)
    expected = {
        opens - second: CallState.UPCOMING,
        opens: CallState.OPEN,
        closes - second: CallState.OPEN,
        closes: CallState.CLOSED,
        closes + second: CallState.CLOSED,
    }
    for moment, state in expected.items():
        assert call.state_at(moment) == state
        in_database = [s for s in CallState if Call.objects.in_state(s, moment).filter(pk=call.pk).exists()]
        assert in_database == [state]
        assert call.is_open(moment) == (state == CallState.OPEN)
        assert Call.objects.open_at(moment).filter(pk=call.pk).exists() == (state == CallState.OPEN)


def test_the_academic_year_reads_the_same_on_calls_and_agreements():
    from partnerships.academic_years import academic_year_label

    assert (
        CallFactory.create(academic_year=2027).academic_year_label == academic_year_label(2027) == "2027-2028"
    )


# --- The English form is English -----------------------------------------------------------


def catalogue_entries() -> list[tuple[str, str]]:
    """(French source, English translation) of every entry of the English catalogue, untranslated
    ones included (their translation is empty): read from the .po, which keeps them all."""
    po = (Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in po.split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            keyword = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?) ", line)
            if keyword:
                current = keyword.group(1)
                line = line[len(current) + 1 :]
            if current and line.startswith('"'):
                fields[current] = fields.get(current, "") + ast.literal_eval(line)
        if fields.get("msgid"):
            entries.append((fields["msgid"], fields.get("msgstr", fields.get("msgstr[0]", ""))))
    return entries


def french_sources() -> list[str]:
    """The French source strings that English differs from, as the literal fragments a page would
    show (placeholders cut out; short ones, such as names and codes, left aside)."""
    fragments = set()
    for source, translation in catalogue_entries():
        if translation == source:
            continue
        for fragment in re.split(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}", source):
            if len(fragment.strip()) >= 15:
                fragments.add(fragment.strip())
    assert len(fragments) > 100  # the catalogue was read
    return sorted(fragments)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.replace("&#x27;", "'").replace("&nbsp;", " ").split())


def test_the_english_form_shows_no_french_source_string(client):
    call, _destinations = open_call_with_destinations()
    french = client.get(f"/fr/mobilite/appels/{call.slug}/candidater/").content.decode()
    english = client.get(f"/en/mobility/calls/{call.slug}/apply/").content.decode()
    assert "Entre 300 et 4000 caractères" in french
    assert "Between 300 and 4000 characters" in english
    leftovers = [fragment for fragment in french_sources() if fragment in visible_text(english)]
    assert leftovers == []
    # And the same form in French afterwards is French again: nothing was frozen in English.
    assert (
        "Entre 300 et 4000 caractères"
        in client.get(f"/fr/mobilite/appels/{call.slug}/candidater/").content.decode()
    )
