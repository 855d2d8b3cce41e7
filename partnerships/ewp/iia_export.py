"""Erasmus+ agreements as Erasmus Without Paper IIA v7 `get-response` documents.

The format in which the EU's EWP network, its Dashboard and the commercial mobility suites
exchange inter-institutional agreements. Our institution comes first, each mobility term is one
mobility specification (a type and a direction), and the document carries the official
`iia-hash` (partnerships.ewp.iia_hash). What the format requires and an agreement lacks is
refused with what to fill in, field by field, never exported half-valid: `iia_problems` says it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from lxml import etree

from partnerships.ewp.iia_hash import iia_hash
from partnerships.models import Agreement, Institution, MobilityTerm

NAMESPACE = (
    "https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd"
)
# In the order the schema lists them inside cooperation-conditions.
SPEC_ELEMENTS = {
    MobilityTerm.MobilityType.STUDENT_STUDIES: "student-studies-mobility-spec",
    MobilityTerm.MobilityType.STUDENT_TRAINEESHIP: "student-traineeship-mobility-spec",
    MobilityTerm.MobilityType.STAFF_TEACHING: "staff-teacher-mobility-spec",
    MobilityTerm.MobilityType.STAFF_TRAINING: "staff-training-mobility-spec",
}
# The format asks a recommended language for these; studies also need its level.
LANGUAGE_REQUIRED = (MobilityTerm.MobilityType.STUDENT_STUDIES, MobilityTerm.MobilityType.STAFF_TEACHING)


@dataclass
class IIAExportRefused(Exception):
    """Agreements that cannot be exported, each with what it lacks."""

    problems: dict[Agreement, list[str]]


def own_institution() -> Institution | None:
    return Institution.objects.filter(is_own=True).first()


def exportable(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """The agreements with what the export reads, in two queries more whatever their number."""
    return agreements.prefetch_related("parties", "mobility_terms")


def iia_problems(agreement: Agreement, own: Institution | None) -> list[str]:
    """What the agreement lacks for an IIA v7, each naming the field to fill in; [] if nothing."""
    problems = []
    if agreement.kind != Agreement.Kind.ERASMUS_IIA:
        problems.append(
            _("Type d’accord : seuls les accords interinstitutionnels Erasmus+ s’échangent au format EWP.")
        )
    if own is None or not own.schac_code:
        problems.append(
            _("Code SCHAC de notre établissement : à renseigner (fiche de l’IRTS Normandie-Caen).")
        )
    partners = [party for party in agreement.parties.all() if not party.is_own]
    if len(partners) != 1:
        problems.append(
            _(
                "Signataires : un accord EWP lie notre établissement à un seul partenaire ; celui-ci en compte %(count)d."
            )
            % {"count": len(partners)}
        )
    for partner in partners:
        if not partner.schac_code:
            problems.append(_("Code SCHAC de « %(partner)s » : à renseigner.") % {"partner": partner.name})
    if agreement.first_academic_year is None:
        problems.append(_("Première année universitaire : à renseigner."))
    if agreement.last_academic_year is None:
        problems.append(_("Dernière année universitaire : à renseigner."))
    terms = list(agreement.mobility_terms.all())
    if not terms:
        problems.append(_("Conditions de mobilité : aucune ; ajoutez-en au moins une."))
    for term in terms:
        if not term.places_per_year:
            problems.append(_("%(term)s — places par an : à renseigner (au moins 1).") % {"term": term})
        if term.mobility_type in LANGUAGE_REQUIRED and not term.language:
            problems.append(_("%(term)s — langue recommandée : à renseigner.") % {"term": term})
        if term.mobility_type == MobilityTerm.MobilityType.STUDENT_STUDIES and not term.cefr_level:
            problems.append(_("%(term)s — niveau CECRL : à renseigner.") % {"term": term})
    return problems


def iia_get_response(agreements: list[Agreement]) -> bytes:
    """One `iias-get-response` holding each agreement, or IIAExportRefused saying what is missing."""
    own = own_institution()
    problems = {agreement: found for agreement in agreements if (found := iia_problems(agreement, own))}
    if problems or own is None:
        raise IIAExportRefused(problems)
    root = etree.Element(_tag("iias-get-response"), nsmap={None: NAMESPACE})
    for agreement in agreements:
        root.append(iia_element(agreement, own))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


IIA_ID_PREFIX = "irts-normandie-caen-"


def iia_id(agreement: Agreement) -> str:
    """Our identifier of the agreement in EWP: stable for its whole life, whatever is renamed."""
    return f"{IIA_ID_PREFIX}{agreement.pk}"


def agreement_pk_of(our_iia_id: str) -> int | None:
    """The agreement that `iia_id` named so, read back from a partner's copy; None if not ours."""
    number = our_iia_id.removeprefix(IIA_ID_PREFIX)
    if number == our_iia_id or not (number.isascii() and number.isdigit()):
        return None
    return int(number)


def iia_element(agreement: Agreement, own: Institution) -> etree._Element:
    """The `iia` element, with its `iia-hash`; the agreement must have no `iia_problems`."""
    [partner] = [party for party in agreement.parties.all() if not party.is_own]
    iia = etree.Element(_tag("iia"))
    ours = _sub(iia, "partner")
    _sub(ours, "hei-id", own.schac_code)
    _sub(ours, "iia-id", iia_id(agreement))
    if agreement.signed_on:
        _sub(ours, "signing-date", agreement.signed_on.isoformat())
    theirs = _sub(iia, "partner")
    _sub(theirs, "hei-id", partner.schac_code)
    if agreement.partner_iia_id:  # known once their copy has been imported
        _sub(theirs, "iia-id", agreement.partner_iia_id)
    _sub(iia, "in-effect", "true" if agreement.status() == Agreement.Status.IN_FORCE else "false")
    conditions = _sub(iia, "cooperation-conditions")
    order = [str(mobility_type) for mobility_type in SPEC_ELEMENTS]
    for term in sorted(
        agreement.mobility_terms.all(), key=lambda t: (order.index(t.mobility_type), t.direction)
    ):
        conditions.append(_spec(term, agreement, own, partner))
    _sub(iia, "iia-hash", iia_hash(iia))
    return iia


def _spec(term: MobilityTerm, agreement: Agreement, own: Institution, partner: Institution) -> etree._Element:
    outgoing = term.direction == MobilityTerm.Direction.OUTGOING
    sending, receiving = (own, partner) if outgoing else (partner, own)
    spec = etree.Element(_tag(SPEC_ELEMENTS[MobilityTerm.MobilityType(term.mobility_type)]))
    _sub(spec, "sending-hei-id", sending.schac_code)
    _sub(spec, "receiving-hei-id", receiving.schac_code)
    _sub(spec, "receiving-first-academic-year-id", _academic_year(agreement.first_academic_year))
    _sub(spec, "receiving-last-academic-year-id", _academic_year(agreement.last_academic_year))
    _sub(spec, "mobilities-per-year", str(term.places_per_year))
    if term.language:
        skill = _sub(spec, "recommended-language-skill")
        _sub(skill, "language", term.language)
        if term.cefr_level:
            _sub(skill, "cefr-level", term.cefr_level)
    if term.isced_code:
        area = _sub(spec, "subject-area")
        _sub(area, "isced-f-code", term.isced_code)
    places = Decimal(term.places_per_year or 0)
    if term.is_for_students:
        if term.duration_months:
            _sub(spec, "total-months-per-year", _decimal(places * term.duration_months))
        _sub(spec, "blended", "true" if term.blended else "false")
        if term.eqf_level:
            _sub(spec, "eqf-level", str(term.eqf_level))
    elif term.duration_days:
        _sub(spec, "total-days-per-year", _decimal(places * term.duration_days))
    return spec


def _academic_year(first_year: int | None) -> str:
    """EWP writes the academic year that starts in 2026 as "2026/2027"."""
    if first_year is None:  # iia_problems refuses such an agreement first
        raise ValueError("an agreement without its academic years has no IIA")
    return f"{first_year}/{first_year + 1}"


def _decimal(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")).normalize(), "f")


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _tag(name))
    if text is not None:
        element.text = text
    return element
