"""Made-up partners: institutions, their destinations and networks, and their agreements.

Rows are written with `bulk_create`, a few thousand per query: the models' `save()` is not called,
so what it would compute (an institution's search text, blank English slugs stored as NULL) is
computed here. The audit trail records no history for these rows, as for any bulk load.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django_countries import countries

from backoffice.scale.naming import UniqueSlugs, ascii_upper
from backoffice.scale.vocabulary import (
    AGREEMENT_SCOPES,
    COUNTRIES,
    DESCRIPTIONS,
    KIND_WEIGHTS,
    NAME_PATTERNS,
    NETWORK_NAMES,
    PATRONS,
    PROGRAMMES,
    CountryProfile,
)
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

BATCH_SIZE = 2000
OWN_INSTITUTION_SLUG = "irts-normandie-caen"


@dataclass
class Partner:
    pk: int
    name: str
    profile: CountryProfile
    region: str
    is_public: bool
    has_erasmus_code: bool


@dataclass
class PartnerAgreement:
    """What the calls need to know of a generated agreement."""

    pk: int
    partner_pks: list[int]
    first_year: int | None
    last_year: int | None
    is_signed: bool

    def covers(self, academic_year: int) -> bool:
        return (
            self.is_signed
            and (self.first_year is None or self.first_year <= academic_year)
            and (self.last_year is None or self.last_year >= academic_year)
        )


@dataclass
class AgreementCounts:
    agreements: int = 0
    parties: int = 0
    programme_links: int = 0
    terms: int = 0


def own_institution_ensure() -> Institution:
    """Our own institution, party to every agreement; created as the seed has it when missing."""
    own = Institution.objects.filter(is_own=True).first()
    if own:
        return own
    return Institution.objects.create(
        name="IRTS Normandie-Caen",
        short_name="IRTS Normandie-Caen",
        slug=UniqueSlugs(Institution, 100).make(OWN_INSTITUTION_SLUG),
        kind=Institution.Kind.SOCIAL_WORK_INSTITUTE,
        country="FR",
        region="Normandie",
        city="Hérouville-Saint-Clair",
        is_own=True,
    )


def programmes_ensure() -> list[Programme]:
    if not Programme.objects.exists():
        Programme.objects.bulk_create(
            Programme(code=code, name=name, short_name=short_name, level=level, isced_code="0923")
            for code, name, short_name, level in PROGRAMMES
        )
    return list(Programme.objects.all())


def institutions_create(rng: random.Random, count: int) -> list[Partner]:
    slugs = UniqueSlugs(Institution, 100)
    erasmus_codes = set(Institution.objects.exclude(erasmus_code="").values_list("erasmus_code", flat=True))
    names_used: defaultdict[str, int] = defaultdict(int)
    profiles = rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES], k=count)
    if profiles:
        # The first partner is abroad and public (and has an agreement, see agreements_create), so
        # that even a handful of partners gives the calls a destination and the applications a call.
        profiles[0] = rng.choice([c for c in COUNTRIES if c.code != "FR"])
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=count)
    institutions: list[Institution] = []
    partners: list[Partner] = []
    for index, (profile, kind) in enumerate(zip(profiles, kinds, strict=True)):
        city = rng.choice(profile.cities)
        region = _region(rng, profile)
        pattern_fr, pattern_en = rng.choice(NAME_PATTERNS[kind])
        patron = rng.choice(PATRONS)
        name = pattern_fr.format(city=city, patron=patron)
        name_en = pattern_en.format(city=city, patron=patron.replace("-", " "))
        names_used[name] += 1
        site = names_used[name]
        if site > 1:  # a second site of a same-named institution
            name, name_en = f"{name} — campus {site}", f"{name_en} — campus {site}"
        slug = slugs.make(name)
        # Invented, on the reserved .example domain; a domain's labels have 63 characters at most.
        domain = f"{slug[:40].strip('-')}.example"
        with_english = rng.random() < 0.5
        erasmus_code = _erasmus_code(rng, profile, city, erasmus_codes) if rng.random() < 0.7 else ""
        institution = Institution(
            name=name,
            name_en=name_en if with_english else "",
            slug=slug,
            slug_en=slugs.make(name_en) if with_english else None,
            kind=kind,
            country=profile.code,
            region=region,
            city=city,
            website=f"https://www.{domain}",
            schac_code=domain if erasmus_code else "",
            erasmus_code=erasmus_code,
            current_identity=(
                f"Rattaché à l’Université de {city} depuis {rng.randint(2012, 2025)}"
                if rng.random() < 0.05
                else ""
            ),
            current_identity_confirmed=rng.random() < 0.5,
            description=rng.choice(DESCRIPTIONS),
            is_public=index == 0 or rng.random() < 0.92,
        )
        institution.search_text = institution.build_search_text()
        institutions.append(institution)
    Institution.objects.bulk_create(institutions, batch_size=BATCH_SIZE)
    for institution, profile in zip(institutions, profiles, strict=True):
        partners.append(
            Partner(
                pk=institution.pk,
                name=institution.name,
                profile=profile,
                region=institution.region,
                is_public=institution.is_public,
                has_erasmus_code=bool(institution.erasmus_code),
            )
        )
    return partners


def _region(rng: random.Random, profile: CountryProfile) -> str:
    draw = rng.random()
    for region, share in profile.regions:
        if draw < share:
            return region
        draw -= share
    return ""


def _erasmus_code(rng: random.Random, profile: CountryProfile, city: str, taken: set[str]) -> str:
    """A free code such as "B LIEGE07" (two or three digits after the city's letters), or ""."""
    if profile.erasmus_prefix is None:
        return ""
    city_letters = ascii_upper(city)[:8]
    start = rng.randint(1, 899)
    for offset in range(999):
        number = (start + offset) % 999 + 1
        code = f"{profile.erasmus_prefix} {city_letters}{number:02d}"
        if code not in taken:
            taken.add(code)
            return code
    return ""


def destinations_ensure(partners: list[Partner]) -> int:
    """A destination for each partners' country that has none, named as django-countries names it."""
    existing = set(Destination.objects.filter(region="").values_list("country", flat=True))
    missing = sorted({p.profile.code for p in partners} - existing)
    slugs = UniqueSlugs(Destination, 100)
    position = Destination.objects.count()
    destinations = []
    for offset, code in enumerate(missing):
        with translation.override("fr"):
            name = str(countries.name(code))
        with translation.override("en"):
            name_en = str(countries.name(code))
        destinations.append(
            Destination(
                name=name,
                name_en=name_en,
                slug=slugs.make(name),
                slug_en=slugs.make(name_en),
                country=code,
                introduction=f"Les partenaires de l’IRTS Normandie-Caen en {name} : stages, études et échanges.",
                position=position + offset,
            )
        )
    Destination.objects.bulk_create(destinations)
    return len(destinations)


def networks_create(rng: random.Random, partners_count: int) -> list[Network]:
    """A few thematic networks, more as the catalogue grows, beside those the seed brings."""
    count = min(len(NETWORK_NAMES), max(1, partners_count // 2000))
    slugs = UniqueSlugs(Network, 100)
    position = Network.objects.count()
    networks = [
        Network(
            name=name,
            name_en=name_en,
            slug=slugs.make(name),
            slug_en=slugs.make(name_en),
            summary=f"{name} : des établissements qui forment aux métiers du social et échangent étudiants et formateurs.",
            start_year=rng.randint(1995, 2020),
            position=position + offset,
        )
        for offset, (name, name_en) in enumerate(NETWORK_NAMES[:count])
    ]
    return Network.objects.bulk_create(networks)


def memberships_create(rng: random.Random, partners: list[Partner], networks: list[Network]) -> int:
    """Erasmus partners in the Erasmus network, Québec partners in France–Québec (when the seed
    brought them), and a few percent of all partners in each thematic network."""
    erasmus = Network.objects.filter(slug="erasmus").first()
    quebec = Network.objects.filter(slug="france-quebec").first()
    roles = list(NetworkMembership.Role)
    role_weights = [5, 5, 15, 15, 60]  # founder, official, academic, field partner, member
    memberships: list[NetworkMembership] = []
    for partner in partners:
        joined: list[Network] = []
        if erasmus and partner.has_erasmus_code and rng.random() < 0.8:
            joined.append(erasmus)
        if quebec and partner.region == "Québec" and rng.random() < 0.7:
            joined.append(quebec)
        joined.extend(network for network in networks if rng.random() < 0.04)
        memberships.extend(
            NetworkMembership(
                network=network,
                institution_id=partner.pk,
                role=rng.choices(roles, weights=role_weights)[0],
                joined_year=rng.randint(1995, 2026),
            )
            for network in joined
        )
    NetworkMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    return len(memberships)


KIND_TITLES: dict[str, tuple[str, str]] = {
    Agreement.Kind.ERASMUS_IIA: (
        "Accord interinstitutionnel Erasmus+",
        "Erasmus+ inter-institutional agreement",
    ),
    Agreement.Kind.PARTNERSHIP_CONVENTION: ("Convention de partenariat", "Partnership agreement"),
    Agreement.Kind.BILATERAL: ("Accord bilatéral", "Bilateral agreement"),
    Agreement.Kind.OTHER: ("Accord de coopération", "Cooperation agreement"),
}
TERM_COMBINATIONS = [(t, d) for t in MobilityTerm.MobilityType for d in MobilityTerm.Direction]


def agreements_create(
    rng: random.Random,
    partners: list[Partner],
    own: Institution,
    programmes: list[Programme],
    current_year: int,
) -> tuple[list[PartnerAgreement], AgreementCounts]:
    """Most partners have one agreement, some two or three (renewals over the years); one in
    twelve is signed with a consortium of partners of the same country. Our own institution is a
    party to every one of them."""
    erasmus = Network.objects.filter(slug="erasmus").first()
    quebec = Network.objects.filter(slug="france-quebec").first()
    slugs = UniqueSlugs(Agreement, 120, english=False)
    by_country: defaultdict[str, list[Partner]] = defaultdict(list)
    for partner in partners:
        by_country[partner.profile.code].append(partner)

    agreements: list[Agreement] = []
    parties: list[list[int]] = []
    for index, partner in enumerate(partners):
        how_many = rng.choices([0, 1, 2, 3], weights=[5, 75, 17, 3])[0] or (1 if index == 0 else 0)
        for number in range(how_many):
            kind, network = _kind_and_network(rng, partner, erasmus, quebec)
            first, last = _period(rng, current_year)
            title_fr, title_en = KIND_TITLES[kind]
            suffix = f" ({first})" if how_many > 1 and first else (f" ({number + 1})" if how_many > 1 else "")
            is_draft = rng.random() < 0.04
            signed_year = None if is_draft or first is None else first - rng.randint(0, 1)
            title = f"{title_fr} — {partner.name}{suffix}"
            agreements.append(
                Agreement(
                    title=title,
                    title_en=f"{title_en} — {partner.name}{suffix}",
                    slug=slugs.make(title),
                    kind=kind,
                    network=network,
                    scope=rng.choice(AGREEMENT_SCOPES),
                    signed_year=signed_year,
                    signed_on=(
                        datetime.date(signed_year, rng.randint(1, 12), rng.randint(1, 28))
                        if signed_year and rng.random() < 0.4
                        else None
                    ),
                    first_academic_year=first,
                    last_academic_year=last,
                    is_draft=is_draft,
                    is_terminated=not is_draft and rng.random() < 0.03,
                )
            )
            members = [partner.pk]
            if rng.random() < 0.08:
                others = [p.pk for p in by_country[partner.profile.code] if p.pk != partner.pk]
                members += rng.sample(others, k=min(len(others), rng.randint(1, 4)))
            parties.append(members)
    Agreement.objects.bulk_create(agreements, batch_size=BATCH_SIZE)

    generated = [
        PartnerAgreement(
            pk=agreement.pk,
            partner_pks=members,
            first_year=agreement.first_academic_year,
            last_year=agreement.last_academic_year,
            is_signed=not agreement.is_draft and not agreement.is_terminated,
        )
        for agreement, members in zip(agreements, parties, strict=True)
    ]
    counts = AgreementCounts(
        agreements=len(generated),
        parties=_parties_create(generated, own),
        programme_links=_programmes_link(rng, generated, programmes),
        terms=_terms_create(rng, generated, {p.pk: p for p in partners}),
    )
    return generated, counts


def _kind_and_network(
    rng: random.Random, partner: Partner, erasmus: Network | None, quebec: Network | None
) -> tuple[str, Network | None]:
    if partner.has_erasmus_code:
        return Agreement.Kind.ERASMUS_IIA, erasmus
    if partner.region == "Québec":
        return Agreement.Kind.PARTNERSHIP_CONVENTION, quebec if rng.random() < 0.5 else None
    kind = rng.choices(
        [Agreement.Kind.BILATERAL, Agreement.Kind.PARTNERSHIP_CONVENTION, Agreement.Kind.OTHER],
        weights=[60, 30, 10],
    )[0]
    return kind, None


def _period(rng: random.Random, current_year: int) -> tuple[int | None, int | None]:
    """First and last academic years: mostly in force now, some expired, a few upcoming or open-ended."""
    if rng.random() < 0.04:
        return None, None
    first = current_year - rng.randint(0, 8) + (1 if rng.random() < 0.07 else 0)
    last = None if rng.random() < 0.08 else first + rng.randint(1, 6)
    return first, last


def _parties_create(agreements: list[PartnerAgreement], own: Institution) -> int:
    parties = [
        AgreementParty(agreement_id=agreement.pk, institution_id=institution_pk)
        for agreement in agreements
        for institution_pk in [own.pk, *agreement.partner_pks]
    ]
    AgreementParty.objects.bulk_create(parties, batch_size=BATCH_SIZE)
    return len(parties)


def _programmes_link(
    rng: random.Random, agreements: list[PartnerAgreement], programmes: list[Programme]
) -> int:
    through = Agreement.programmes.through
    links = [
        through(agreement_id=agreement.pk, programme_id=programme.pk)
        for agreement in agreements
        for programme in rng.sample(programmes, k=min(len(programmes), rng.randint(0, 3)))
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return len(links)


def _terms_create(
    rng: random.Random, agreements: list[PartnerAgreement], partners: dict[int, Partner]
) -> int:
    terms = []
    for agreement in agreements:
        language = partners[agreement.partner_pks[0]].profile.language
        how_many = rng.choices([1, 2, 3, 4], weights=[30, 35, 20, 15])[0]
        for mobility_type, direction in rng.sample(TERM_COMBINATIONS, k=how_many):
            for_students = mobility_type in MobilityTerm.STUDENT_TYPES
            recommends_language = rng.random() < 0.8
            terms.append(
                MobilityTerm(
                    agreement_id=agreement.pk,
                    mobility_type=mobility_type,
                    direction=direction,
                    places_per_year=(
                        None if rng.random() < 0.2 else rng.randint(1, 6 if for_students else 3)
                    ),
                    duration_months=(
                        Decimal(rng.choice([3, 4, 5, 6, 10]))
                        if for_students and rng.random() < 0.85
                        else None
                    ),
                    duration_days=None if for_students else rng.randint(2, 10),
                    isced_code="0923" if rng.random() < 0.7 else "",
                    eqf_level=rng.choice([6, 6, 6, 7, None]) if for_students else None,
                    language=language if recommends_language else "",
                    cefr_level=rng.choice(["B1", "B2"]) if recommends_language else "",
                )
            )
    MobilityTerm.objects.bulk_create(terms, batch_size=BATCH_SIZE)
    return len(terms)
