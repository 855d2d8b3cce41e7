"""Made-up calls for applications over three academic years, with their destinations and documents.

Last year's and this year's calls are closed; next year's are open now (one of them may open
later), so that the application form can always be reached.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from backoffice.scale.naming import UniqueSlugs
from backoffice.scale.partners import Partner, PartnerAgreement
from backoffice.scale.vocabulary import CALL_KINDS, CALL_ROUNDS
from mobility.models import Call, CallDestination, CallDocument
from mobility.models.calls import Audience, DocumentKind
from partnerships.academic_years import academic_year_label

# How many applications a call of each audience draws, relative to the others.
AUDIENCE_DRAW = {Audience.STUDENTS: 3.0, Audience.EVERYONE: 2.0, Audience.STAFF: 1.0}


@dataclass
class CallDestinationChoice:
    pk: int
    institution_name: str


@dataclass
class CallPlan:
    """A generated call, with what its applications are drawn from."""

    call: Call
    destinations: list[CallDestinationChoice]

    def accepts_applications_before(self, now: datetime.datetime) -> bool:
        return bool(self.destinations) and self.call.is_published and self.call.opens_at < now

    @property
    def draw(self) -> float:
        return AUDIENCE_DRAW[Audience(self.call.audience)]


def calls_create(
    rng: random.Random,
    count: int,
    partners: list[Partner],
    agreements: list[PartnerAgreement],
    current_year: int,
    now: datetime.datetime,
) -> list[CallPlan]:
    slugs = UniqueSlugs(Call, 120)
    rounds: Counter[tuple[int, int]] = Counter()
    years = [current_year - 1, current_year, current_year + 1]
    calls = []
    for number in range(count):
        year = years[number % len(years)]
        kind_index = (number // len(years)) % len(CALL_KINDS)
        title_fr, title_en, direction, audience, mobility_types = CALL_KINDS[kind_index]
        round_fr, round_en = CALL_ROUNDS[rounds[(year, kind_index)] % len(CALL_ROUNDS)]
        rounds[(year, kind_index)] += 1
        opens_at, closes_at = _window(rng, year, current_year, now, always_open=number == len(years) - 1)
        label = academic_year_label(year)
        title = f"{title_fr} {label} — {round_fr}"
        title_en_full = f"{title_en} {label} — {round_en}"
        calls.append(
            Call(
                title=title,
                title_en=title_en_full,
                slug=slugs.make(title),
                slug_en=slugs.make(title_en_full),
                academic_year=year,
                audience=audience,
                direction=direction,
                mobility_types=list(mobility_types),
                opens_at=opens_at,
                closes_at=closes_at,
                description=(
                    f"{title_fr} pour l’année {label}. Choisissez jusqu’à trois destinations parmi "
                    "les partenaires proposés, par ordre de préférence.\n"
                    "Les places de chaque destination sont indiquées quand l’accord les précise."
                ),
                # A call that opens later may still be in preparation; the others are published.
                is_published=opens_at < now or rng.random() < 0.5,
            )
        )
    Call.objects.bulk_create(calls)
    _documents_create(rng, calls)
    public = {p.pk: p for p in partners if p.is_public and p.profile.code != "FR"}
    return [CallPlan(call, _destinations_create(rng, call, agreements, public)) for call in calls]


def _window(
    rng: random.Random, year: int, current_year: int, now: datetime.datetime, *, always_open: bool
) -> tuple[datetime.datetime, datetime.datetime]:
    """Calls for the year `year` run over the autumn and winter before it; next year's run now."""
    if year <= current_year:
        opens_at = _paris(datetime.date(year - 1, 10, 1), 9) + datetime.timedelta(days=rng.randint(0, 20))
        closes_at = _paris(datetime.date(year, 1, 31), 12) + datetime.timedelta(days=rng.randint(0, 20))
        return opens_at, closes_at
    if not always_open and rng.random() < 0.2:
        opens_at = now + datetime.timedelta(days=rng.randint(20, 60))
        return opens_at, opens_at + datetime.timedelta(days=60)
    opens_at = now - datetime.timedelta(days=rng.randint(5, 45))
    return opens_at, now + datetime.timedelta(days=rng.randint(20, 90))


def _paris(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _documents_create(rng: random.Random, calls: list[Call]) -> None:
    documents = []
    for call in calls:
        documents += [
            CallDocument(call=call, kind=DocumentKind.CV, is_required=True),
            CallDocument(call=call, kind=DocumentKind.MOTIVATION_LETTER, is_required=True),
        ]
        if call.audience != Audience.STAFF:
            documents.append(
                CallDocument(
                    call=call,
                    kind=DocumentKind.TRANSCRIPT,
                    is_required=False,
                    help_text="Le dernier relevé de notes, si vous l’avez.",
                )
            )
        if rng.random() < 0.5:
            documents.append(
                CallDocument(call=call, kind=DocumentKind.LANGUAGE_CERTIFICATE, is_required=False)
            )
    CallDocument.objects.bulk_create(documents)


def _destinations_create(
    rng: random.Random, call: Call, agreements: list[PartnerAgreement], public: dict[int, Partner]
) -> list[CallDestinationChoice]:
    """Twenty to a hundred partners abroad, each under an agreement covering the call's year;
    with few partners, any agreement will do."""
    offered: dict[int, int] = {}
    for agreement in agreements:
        if agreement.covers(call.academic_year):
            for partner_pk in agreement.partner_pks:
                if partner_pk in public:
                    offered.setdefault(partner_pk, agreement.pk)
    if len(offered) < 3:
        for agreement in agreements:
            for partner_pk in agreement.partner_pks:
                if partner_pk in public:
                    offered.setdefault(partner_pk, agreement.pk)
    chosen = rng.sample(sorted(offered), k=min(len(offered), rng.randint(20, 100)))
    destinations = CallDestination.objects.bulk_create(
        CallDestination(
            call=call,
            institution_id=partner_pk,
            agreement_id=offered[partner_pk],
            places=rng.choice([None, 1, 2, 2, 3, 4]),
            position=position,
        )
        for position, partner_pk in enumerate(chosen)
    )
    return [
        CallDestinationChoice(destination.pk, public[partner_pk].name)
        for destination, partner_pk in zip(destinations, chosen, strict=True)
    ]
