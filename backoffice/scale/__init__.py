"""Made-up data at the size of a mature portal, to measure the pages with (`generate_scale_data`).

Thousands of partners in some thirty countries with their destinations, network memberships,
agreements (our own institution a party to each, with mobility terms and programmes), calls over
three academic years with their destinations, and applications with their wishes, languages and
status history. Everything is added beside what exists: a second run adds as much again, under
slugs, codes and references of its own. Never for a production database: the rows are invented.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation

from backoffice.scale.applications import ApplicationCounts, applications_create
from backoffice.scale.calls import calls_create
from backoffice.scale.partners import (
    AgreementCounts,
    agreements_create,
    destinations_ensure,
    institutions_create,
    memberships_create,
    networks_create,
    own_institution_ensure,
    programmes_ensure,
)
from partnerships.academic_years import academic_year_of
from partnerships.content_version import bump_content_version

# A call draws about this many applications: more applications, more calls.
APPLICATIONS_PER_CALL = 1500


@dataclass
class ScaleReport:
    institutions: int
    destinations: int
    networks: int
    memberships: int
    agreements: AgreementCounts
    calls: int
    call_destinations: int
    applications: ApplicationCounts

    def lines(self) -> list[str]:
        return [
            f"{self.institutions} partner institutions, {self.destinations} new destinations, "
            f"{self.networks} networks with {self.memberships} memberships",
            f"{self.agreements.agreements} agreements with {self.agreements.parties} parties, "
            f"{self.agreements.terms} mobility terms and {self.agreements.programme_links} programme links",
            f"{self.calls} calls with {self.call_destinations} destinations",
            f"{self.applications.applications} applications with {self.applications.choices} choices, "
            f"{self.applications.languages} languages and {self.applications.status_changes} status changes",
        ]


@transaction.atomic
def scale_data_generate(
    *, partners: int, applications: int, seed: int | None = None, now: datetime.datetime | None = None
) -> ScaleReport:
    """Add `partners` partner institutions and `applications` applications, with all they imply.

    `seed` makes the choices repeatable (names, dates, statuses); tokens stay random. All or
    nothing: one transaction.
    """
    rng = random.Random(seed)  # noqa: S311  # made-up data, not secrets
    now = now or timezone.now()
    current_year = academic_year_of(timezone.localdate(now))
    # French is the source language: `name` and the other translated fields write the French columns.
    with translation.override(settings.LANGUAGE_CODE):
        own = own_institution_ensure()
        programmes = programmes_ensure()
        generated = institutions_create(rng, partners)
        destinations = destinations_ensure(generated)
        networks = networks_create(rng, partners)
        memberships = memberships_create(rng, generated, networks)
        agreements, agreement_counts = agreements_create(rng, generated, own, programmes, current_year)
        call_count = max(6, min(60, applications // APPLICATIONS_PER_CALL))
        plans = calls_create(rng, call_count, generated, agreements, current_year, now)
        reviewers = list(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True))
        application_counts = applications_create(rng, applications, plans, programmes, reviewers, now)
    # Written in bulk, without the signals that retire the cached public pages: retire them here.
    transaction.on_commit(bump_content_version)
    return ScaleReport(
        institutions=len(generated),
        destinations=destinations,
        networks=len(networks),
        memberships=memberships,
        agreements=agreement_counts,
        calls=len(plans),
        call_destinations=sum(len(plan.destinations) for plan in plans),
        applications=application_counts,
    )
