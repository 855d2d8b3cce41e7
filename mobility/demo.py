"""A demonstration call, so that a fresh installation shows a working application form."""

import datetime

from django.db import transaction
from django.utils import timezone

from mobility.models import Call, CallDestination, CallDocument
from mobility.models.calls import Audience, DocumentKind
from partnerships.academic_years import academic_year_label, academic_year_of
from partnerships.models import Agreement, Institution, MobilityTerm

DEMO_SLUG = "appel-de-demonstration"


@transaction.atomic
def demo_call_ensure(*, now: datetime.datetime | None = None) -> Call | None:
    """Create the demonstration call, open from now for 60 days, unless any call exists."""
    if Call.objects.exists():
        return None
    now = now or timezone.now()
    # The next academic year: the one that mobilities applied for now take place in.
    academic_year = academic_year_of(timezone.localdate(now)) + 1
    call = Call.objects.create(
        title=f"Appel de démonstration — mobilités sortantes {academic_year_label(academic_year)}",
        title_en=f"Demonstration call — outgoing mobility {academic_year_label(academic_year)}",
        slug=DEMO_SLUG,
        slug_en="demonstration-call",
        academic_year=academic_year,
        audience=Audience.STUDENTS,
        direction=MobilityTerm.Direction.OUTGOING,
        mobility_types=[
            MobilityTerm.MobilityType.STUDENT_TRAINEESHIP,
            MobilityTerm.MobilityType.STUDENT_STUDIES,
        ],
        opens_at=now,
        closes_at=now + datetime.timedelta(days=60),
        description=(
            "Cet appel de démonstration montre le fonctionnement du portail : il propose les destinations "
            "ERASMUS et québécoises de l’IRTS Normandie-Caen aux étudiants qui souhaitent partir en stage "
            "ou en période d’études.\n"
            "Le nombre de places de chaque destination reste à préciser par le service des relations internationales."
        ),
        description_en=(
            "This demonstration call shows how the portal works: it offers IRTS Normandie-Caen’s ERASMUS "
            "and Quebec destinations to students who wish to go on a placement or a period of study.\n"
            "The number of places for each destination is still to be specified by the international "
            "relations office."
        ),
    )
    agreements = Agreement.objects.in_force().filter(network__slug__in=["erasmus", "france-quebec"])
    partners: dict[int, tuple[Institution, Agreement]] = {}
    for agreement in agreements.prefetch_related("parties"):
        for institution in agreement.parties.all():
            # Abroad only: the French IRTS of the France–Québec network are fellow senders, not hosts.
            if not institution.is_own and institution.is_public and institution.country.code != "FR":
                partners.setdefault(institution.pk, (institution, agreement))
    ordered = sorted(partners.values(), key=lambda pair: (pair[0].country.code != "CA", pair[0].name))
    CallDestination.objects.bulk_create(
        CallDestination(call=call, institution=institution, agreement=agreement, position=position)
        for position, (institution, agreement) in enumerate(ordered)
    )
    CallDocument.objects.bulk_create(
        [
            CallDocument(call=call, kind=DocumentKind.CV, is_required=True),
            CallDocument(call=call, kind=DocumentKind.MOTIVATION_LETTER, is_required=True),
            CallDocument(
                call=call,
                kind=DocumentKind.TRANSCRIPT,
                is_required=False,
                help_text="Le dernier relevé de notes, si vous l’avez.",
            ),
        ]
    )
    return call
