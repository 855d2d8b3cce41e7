"""factory_boy factories for test data (the JSON fixtures are the site's content, not test data)."""

import datetime
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from activities.models import Activity, ActivityKind
from mobility.models import Application, ApplicationChoice, Call, CallDestination, CallDocument
from partnerships.models import (
    Agreement,
    AgreementParty,
    Destination,
    Institution,
    MobilityTerm,
    Network,
    NetworkMembership,
    Programme,
)


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DE{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Diplôme d’État {o.code}")
    short_name = factory.LazyAttribute(lambda o: f"diplômés {o.code}")
    level = 6
    isced_code = "0923"


class NetworkFactory(DjangoModelFactory[Network]):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Réseau {n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")
    summary = "Un réseau de partenaires."


class ActivityFactory(DjangoModelFactory[Activity]):
    """A published study day at the school, a month from now."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    kind = ActivityKind.STUDY_DAY
    title = factory.Sequence(lambda n: f"Journée d’étude {n}")
    slug = factory.Sequence(lambda n: f"journee-{n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    place = "IRTS Normandie-Caen, Hérouville-Saint-Clair"
    text = "Une journée d’étude.\n\nUn second paragraphe."
    is_published = True


class InstitutionFactory(DjangoModelFactory[Institution]):
    class Meta:
        model = Institution

    # str | Sequence: OwnInstitutionFactory sets fixed values instead of sequences.
    name: str | factory.Sequence = factory.Sequence(lambda n: f"Établissement {n}")
    slug: str | factory.Sequence = factory.Sequence(lambda n: f"etablissement-{n}")
    kind = Institution.Kind.UNIVERSITY
    country = "BE"
    city = "Liège"


class OwnInstitutionFactory(InstitutionFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("slug",)

    name = "IRTS Normandie-Caen"
    slug = "irts-normandie-caen"
    kind = Institution.Kind.SOCIAL_WORK_INSTITUTE
    country = "FR"
    city = "Hérouville-Saint-Clair"
    is_own = True


class DestinationFactory(DjangoModelFactory[Destination]):
    class Meta:
        model = Destination
        django_get_or_create = ("slug",)

    name = "Belgique"
    slug = factory.LazyAttribute(lambda o: o.name.lower())
    country = "BE"


class AgreementFactory(DjangoModelFactory[Agreement]):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Accord {n}")
    slug = factory.Sequence(lambda n: f"accord-{n}")
    kind = Agreement.Kind.ERASMUS_IIA
    first_academic_year = 2024
    last_academic_year = 2029

    @factory.post_generation
    def partners(self: Agreement, create: bool, extracted: list[Institution] | None, **kwargs: Any) -> None:
        """AgreementFactory.create(partners=[institution, ...]): the own institution is always a party."""
        if not create:
            return
        AgreementParty.objects.create(agreement=self, institution=OwnInstitutionFactory.create())
        for institution in extracted or []:
            AgreementParty.objects.create(agreement=self, institution=institution)


class MobilityTermFactory(DjangoModelFactory[MobilityTerm]):
    class Meta:
        model = MobilityTerm

    agreement = factory.SubFactory(AgreementFactory)
    mobility_type = MobilityTerm.MobilityType.STUDENT_STUDIES
    direction = MobilityTerm.Direction.OUTGOING
    places_per_year = 2
    duration_months = 5
    language = "fr"
    cefr_level = "B2"


class NetworkMembershipFactory(DjangoModelFactory[NetworkMembership]):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = NetworkMembership.Role.MEMBER


class CallFactory(DjangoModelFactory[Call]):
    """An outgoing students' call, open from an hour ago for 30 days."""

    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Appel {n}")
    slug = factory.Sequence(lambda n: f"appel-{n}")
    academic_year = 2027
    audience = "students"
    direction = "outgoing"
    mobility_types = factory.LazyFunction(lambda: ["student_studies", "student_traineeship"])
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    description = "Partir étudier ou en stage chez un partenaire."


class CallDestinationFactory(DjangoModelFactory[CallDestination]):
    class Meta:
        model = CallDestination

    call = factory.SubFactory(CallFactory)
    institution = factory.SubFactory(InstitutionFactory)
    places = 2


class CallDocumentFactory(DjangoModelFactory[CallDocument]):
    class Meta:
        model = CallDocument

    call = factory.SubFactory(CallFactory)
    kind = "cv"
    is_required = True


class ApplicationFactory(DjangoModelFactory[Application]):
    """An application as the database holds it, without the form's files: for figures over many
    applications (tests/mobility/helpers.submit_application goes through the real service).
    `ApplicationFactory.create(first_choice=destination)` records its first choice."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"MOB-T-{n:05d}")
    call = factory.SubFactory(CallFactory)
    status = "accepted"
    given_names = "Camille"
    family_name = "Martin"
    email = "camille.martin@example.org"
    category = "trainer"
    mobility_type = "staff_training"
    # A student names a programme (a database constraint).
    programme = factory.LazyAttribute(
        lambda o: ProgrammeFactory.create() if o.category == "student" else None
    )
    wished_start = datetime.date(2027, 10, 1)
    wished_end = datetime.date(2027, 12, 1)
    motivation = "Découvrir d’autres pratiques."
    consent_given_at = factory.LazyFunction(timezone.now)
    token_salt = factory.Sequence(lambda n: f"salt-{n}")
    token_hash = factory.Sequence(lambda n: f"hash-{n}")
    submission_key = factory.Sequence(lambda n: f"key-{n}")

    @factory.post_generation
    def first_choice(
        self: Application, create: bool, extracted: CallDestination | None, **kwargs: Any
    ) -> None:
        if create and extracted is not None:
            ApplicationChoice.objects.create(application=self, rank=1, destination=extracted)
