"""Made-up applications with their wishes, languages and status history.

Each application walks the workflow as staff would move it (`TRANSITIONS`): submitted, under
review a few days later, decided some weeks after the call closed, departed and back on the
dates of its mobility; the steps whose date is still to come are left out, so an open call's
applications are new and last year's are mostly completed. A few are withdrawn on the way.
"""

import datetime
import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.db import models
from django.utils import timezone

from backoffice.scale.calls import CallPlan
from backoffice.scale.naming import ascii_lower
from backoffice.scale.vocabulary import FAMILY_NAMES, GIVEN_NAMES, MOTIVATION_SENTENCES, STAFF_COMMENTS
from mobility.models import Application, ApplicationChoice, ApplicationLanguage, StatusChange
from mobility.models.applications import FINAL_STATUSES, Category, Status, derive_token, hash_token
from mobility.models.calls import Audience
from partnerships.models import MobilityTerm, Programme

# Applications written per round of queries: their rows and their choices, languages and history.
CHUNK_SIZE = 2000
STAFF_CATEGORIES = [Category.TRAINER, Category.FIELD_PROFESSIONAL, Category.MANAGER, Category.SERVICE_USER]
MOBILITY_LANGUAGES = [code for code, _name in settings.PORTAL_MOBILITY_LANGUAGES]
CEFR_LEVELS = list(MobilityTerm.CefrLevel)


@dataclass
class ApplicationCounts:
    applications: int = 0
    choices: int = 0
    languages: int = 0
    status_changes: int = 0


@dataclass
class Step:
    status: str
    at: datetime.datetime
    by_applicant: bool = False


@contextmanager
def dates_as_given(*columns: tuple[type[models.Model], str]) -> Iterator[None]:
    """Store the dates set on the rows, not the time of the insert: `auto_now` and
    `auto_now_add` would date every application and every history row of today."""
    fields = [cast(models.DateTimeField, model._meta.get_field(name)) for model, name in columns]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    try:
        for field in fields:
            field.auto_now = field.auto_now_add = False
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def applications_create(
    rng: random.Random,
    count: int,
    plans: list[CallPlan],
    programmes: list[Programme],
    reviewer_pks: list[int],
    now: datetime.datetime,
) -> ApplicationCounts:
    counts = ApplicationCounts()
    open_plans = [plan for plan in plans if plan.accepts_applications_before(now)]
    if not open_plans or count <= 0:
        return counts
    weights = [plan.draw for plan in open_plans]
    with dates_as_given(
        (Application, "submitted_at"), (Application, "updated_at"), (StatusChange, "changed_at")
    ):
        for start in range(0, count, CHUNK_SIZE):
            size = min(CHUNK_SIZE, count - start)
            chosen = rng.choices(open_plans, weights=weights, k=size)
            _chunk_create(rng, chosen, programmes, reviewer_pks, now, counts)
    return counts


def _chunk_create(
    rng: random.Random,
    plans: list[CallPlan],
    programmes: list[Programme],
    reviewer_pks: list[int],
    now: datetime.datetime,
    counts: ApplicationCounts,
) -> None:
    applications: list[Application] = []
    histories: list[list[Step]] = []
    wishes: list[list[int]] = []
    for plan in plans:
        application, destination_pks = _application(rng, plan, programmes, now)
        steps = _history(rng, plan, application, now)
        application.status = steps[-1].status
        application.updated_at = steps[-1].at
        application.decided_at = steps[-1].at if steps[-1].status in FINAL_STATUSES else None
        applications.append(application)
        histories.append(steps)
        wishes.append(destination_pks)
    Application.objects.bulk_create(applications)
    # The readable reference of mobility.services: MOB-<year of submission>-<id>.
    for application in applications:
        application.reference = (
            f"MOB-{timezone.localtime(application.submitted_at).year}-{application.pk:05d}"
        )
    Application.objects.bulk_update(applications, ["reference"], batch_size=500)

    choices = [
        ApplicationChoice(application=application, rank=rank, destination_id=destination_pk)
        for application, destination_pks in zip(applications, wishes, strict=True)
        for rank, destination_pk in enumerate(destination_pks, start=1)
    ]
    languages = [
        ApplicationLanguage(application=application, language=language, level=rng.choice(CEFR_LEVELS))
        for application in applications
        for language in rng.sample(MOBILITY_LANGUAGES, k=rng.choice([1, 1, 2]))
    ]
    changes = [
        _status_change(rng, application, previous, step, reviewer_pks)
        for application, steps in zip(applications, histories, strict=True)
        for previous, step in zip(["", *(s.status for s in steps)], steps, strict=False)
    ]
    ApplicationChoice.objects.bulk_create(choices)
    ApplicationLanguage.objects.bulk_create(languages)
    StatusChange.objects.bulk_create(changes)
    counts.applications += len(applications)
    counts.choices += len(choices)
    counts.languages += len(languages)
    counts.status_changes += len(changes)


def _application(
    rng: random.Random, plan: CallPlan, programmes: list[Programme], now: datetime.datetime
) -> tuple[Application, list[int]]:
    call = plan.call
    window_end = min(call.closes_at, now)
    submitted_at = call.opens_at + (window_end - call.opens_at) * rng.random()
    is_student = call.audience == Audience.STUDENTS or (
        call.audience == Audience.EVERYONE and rng.random() < 0.7
    )
    category = Category.STUDENT if is_student else rng.choices(STAFF_CATEGORIES, weights=[40, 35, 15, 10])[0]
    group = MobilityTerm.STUDENT_TYPES if is_student else MobilityTerm.STAFF_TYPES
    mobility_types = [value for value in call.mobility_types if value in group]
    mobility_type = rng.choice(mobility_types) if mobility_types else ""
    wished_start = datetime.date(call.academic_year, 9, 1) + datetime.timedelta(days=rng.randint(0, 150))
    if not is_student:
        length = rng.randint(3, 14)
    elif mobility_type == MobilityTerm.MobilityType.STUDENT_TRAINEESHIP:
        length = rng.randint(60, 120)
    else:
        length = rng.randint(120, 300)
    choices = rng.sample(plan.destinations, k=min(len(plan.destinations), rng.choice([1, 2, 3, 3])))
    given_names, family_name = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
    token_salt = secrets.token_hex(32)
    application = Application(
        call=call,
        # A unique placeholder until the id, and so the readable reference, is known.
        reference=f"TMP-{secrets.token_hex(8)}",
        given_names=given_names,
        family_name=family_name,
        email=f"{ascii_lower(given_names)}.{ascii_lower(family_name)}{rng.randint(1, 9999)}@example.org",
        phone=f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        if rng.random() < 0.7
        else "",
        category=category,
        programme=rng.choice(programmes) if is_student else None,
        year_of_study=rng.randint(1, 3) if is_student else None,
        home_institution=choices[0].institution_name[:200] if call.direction == "incoming" else "",
        mobility_type=mobility_type,
        wished_start=wished_start,
        wished_end=wished_start + datetime.timedelta(days=length),
        motivation=" ".join(rng.sample(MOTIVATION_SENTENCES, k=rng.randint(2, 4))),
        consent_given_at=submitted_at,
        language="en" if rng.random() < 0.15 else "fr",
        token_salt=token_salt,
        token_hash=hash_token(derive_token(token_salt)),
        submission_key=secrets.token_urlsafe(32),
        submitted_at=submitted_at,
    )
    return application, [choice.pk for choice in choices]


def _history(
    rng: random.Random, plan: CallPlan, application: Application, now: datetime.datetime
) -> list[Step]:
    submitted_at = application.submitted_at
    reviewed_at = submitted_at + datetime.timedelta(days=rng.uniform(2, 25))
    decided_at = max(plan.call.closes_at, reviewed_at) + datetime.timedelta(days=rng.uniform(10, 45))
    steps = [Step(Status.SUBMITTED, submitted_at, by_applicant=True), Step(Status.UNDER_REVIEW, reviewed_at)]
    decision = rng.choices([Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED], weights=[55, 15, 30])[0]
    steps.append(Step(decision, decided_at))
    if decision == Status.WAITLISTED:
        later = decided_at + datetime.timedelta(days=rng.uniform(15, 60))
        steps.append(Step(rng.choice([Status.ACCEPTED, Status.REJECTED]), later))
    if steps[-1].status == Status.ACCEPTED:
        departed_at = max(_paris(application.wished_start, 9), steps[-1].at + datetime.timedelta(days=1))
        back_at = max(_paris(application.wished_end, 17), departed_at) + datetime.timedelta(
            days=rng.randint(1, 10)
        )
        steps += [Step(Status.DEPARTED, departed_at), Step(Status.COMPLETED, back_at)]
    # What has happened by now; at least the submission, which is in the past.
    happened = [step for step in steps if step.at <= now] or steps[:1]
    last = happened[-1]
    if last.status not in FINAL_STATUSES and rng.random() < 0.07:
        withdrawn_at = last.at + datetime.timedelta(days=rng.uniform(1, 20))
        if withdrawn_at <= now:
            happened.append(Step(Status.WITHDRAWN, withdrawn_at, by_applicant=True))
    return happened


def _paris(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _status_change(
    rng: random.Random, application: Application, previous: str, step: Step, reviewer_pks: list[int]
) -> StatusChange:
    by_staff = not step.by_applicant
    comment = rng.choice(STAFF_COMMENTS) if by_staff and rng.random() < 0.25 else ""
    return StatusChange(
        application=application,
        from_status=previous,
        to_status=step.status,
        changed_by_id=rng.choice(reviewer_pks) if by_staff and reviewer_pks else None,
        by_applicant=step.by_applicant,
        changed_at=step.at,
        comment=comment,
        # As the services record them: a withdrawal is always shown to its author, the
        # submission never needs to be.
        visible_to_applicant=(step.status == Status.WITHDRAWN) or (bool(comment) and rng.random() < 0.5),
    )
