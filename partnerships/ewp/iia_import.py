"""A partner's Erasmus+ agreements, read from its EWP IIA v7 `get-response` file.

Reading goes in this order, and the first refusal stops it with a message for staff:

1. defusedxml parses the file, refusing any DTD or entity: no XML bomb, no external entity;
2. the root must be an IIA v7 get-response, then the whole file must satisfy the official
   schema (partnerships.ewp.schemas);
3. each `iia` must bind our institution, by its SCHAC code, to one partner.

What our agreements cannot hold (a second subject area, a second EQF level, a second
specification of the same type and direction) is listed in `not_kept`, so that the preview says
it before anything is saved. The file's `iia-hash` is checked against the official hash of what
it contains (partnerships.ewp.iia_hash): a mismatch means the file was altered, or built wrong.

Nothing here writes: `partnerships.services.agreement_import_iia` does, from a preview.
"""

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext as _
from lxml import etree

from partnerships.academic_years import academic_year_label
from partnerships.ewp.iia_export import NAMESPACE, SPEC_ELEMENTS, agreement_pk_of
from partnerships.ewp.iia_hash import iia_hash
from partnerships.ewp.schemas import SchemasMissing, iia_get_response_schema
from partnerships.models import Agreement, Institution, MobilityTerm
from partnerships.vocabularies import isced_f_fields

MOBILITY_TYPES = {element: mobility_type for mobility_type, element in SPEC_ELEMENTS.items()}
# How many schema errors the refusal lists: enough to fix the file, not a wall of text.
SHOWN_ERRORS = 5


class IIAImportRefused(Exception):
    """The file cannot be imported; the message says why, for staff."""


@dataclass
class ImportedTerm:
    mobility_type: str
    direction: str
    places_per_year: int | None
    duration_months: str  # a Decimal's text, or "": kept as text in the session between two steps
    duration_days: int | None
    isced_code: str
    eqf_level: int | None
    language: str
    cefr_level: str
    blended: bool
    first_academic_year: int
    last_academic_year: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.mobility_type, self.direction)

    @property
    def label(self) -> str:
        """As staff read a term: « études (étudiants) — accueil à l’IRTS Normandie-Caen »."""
        return str(MobilityTerm(mobility_type=self.mobility_type, direction=self.direction))

    def values(self) -> dict:
        """The MobilityTerm fields this term sets."""
        return {
            "places_per_year": self.places_per_year,
            "duration_months": Decimal(self.duration_months) if self.duration_months else None,
            "duration_days": self.duration_days,
            "isced_code": self.isced_code,
            "eqf_level": self.eqf_level,
            "language": self.language,
            "cefr_level": self.cefr_level,
            "blended": self.blended,
        }


@dataclass
class ImportedIIA:
    partner_hei_id: str
    partner_iia_id: str
    partner_iia_code: str
    our_iia_id: str
    in_effect: bool
    declared_hash: str
    computed_hash: str
    terms: list[ImportedTerm] = field(default_factory=list)
    not_kept: list[str] = field(default_factory=list)

    @property
    def hash_matches(self) -> bool:
        return self.declared_hash == self.computed_hash

    @property
    def first_academic_year(self) -> int | None:
        return min((term.first_academic_year for term in self.terms), default=None)

    @property
    def last_academic_year(self) -> int | None:
        return max((term.last_academic_year for term in self.terms), default=None)

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "ImportedIIA":
        terms = [ImportedTerm(**term) for term in data["terms"]]
        return cls(**{**data, "terms": terms})


def read_iia_file(content: bytes, own_schac_code: str) -> list[ImportedIIA]:
    """The agreements of a get-response file, or IIAImportRefused saying what is wrong."""
    if not own_schac_code:
        raise IIAImportRefused(
            _(
                "Renseignez d’abord le code SCHAC de notre établissement : il désigne notre partie dans le fichier."
            )
        )
    root = _parsed(content)
    if root.tag != f"{{{NAMESPACE}}}iias-get-response":
        raise IIAImportRefused(
            _(
                "Ce fichier n’est pas une réponse IIA v7 (iias-get-response) : son élément racine est « %(root)s »."
            )
            % {"root": etree.QName(root).localname}
        )
    try:
        schema = iia_get_response_schema()
    except SchemasMissing as missing:
        raise IIAImportRefused(str(missing)) from missing
    errors = list(schema.iter_errors(root))
    if errors:
        details = "; ".join(f"{error.reason} ({error.path})" for error in errors[:SHOWN_ERRORS])
        raise IIAImportRefused(
            _("Le fichier ne respecte pas le schéma officiel IIA v7 : %(details)s") % {"details": details}
        )
    iias = [_read_iia(element, own_schac_code) for element in root.iterchildren(_tag("iia"))]
    if not iias:
        raise IIAImportRefused(_("Le fichier ne contient aucun accord (aucun élément « iia »)."))
    return iias


def _parsed(content: bytes) -> etree._Element:
    try:
        # defusedxml refuses DTDs, entities and external references before anything expands.
        SafeElementTree.fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise IIAImportRefused(
            _(
                "Le fichier déclare une DTD ou des entités XML, que le format EWP n’utilise pas ; "
                "refusé par sécurité (%(reason)s)."
            )
            % {"reason": type(error).__name__}
        ) from error
    except SafeElementTree.ParseError as error:
        raise IIAImportRefused(
            _("Ce fichier n’est pas un XML bien formé : %(reason)s.") % {"reason": error}
        ) from error
    # Now known free of DTDs and entities, parsed again by lxml, which the official hash reads.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(content, parser)


def _read_iia(iia: etree._Element, own_schac_code: str) -> ImportedIIA:
    partners = list(iia.iterchildren(_tag("partner")))
    hei_ids = [_text(partner, "hei-id") for partner in partners]
    if own_schac_code not in hei_ids:
        raise IIAImportRefused(
            _(
                "Un accord du fichier ne concerne pas notre établissement (code SCHAC %(ours)s) : "
                "ses parties sont %(parties)s."
            )
            % {"ours": own_schac_code, "parties": ", ".join(hei_ids)}
        )
    ours = partners[hei_ids.index(own_schac_code)]
    theirs = [partner for partner in partners if partner is not ours]
    if len(theirs) != 1:
        raise IIAImportRefused(_("Un accord du fichier lie notre établissement à lui-même."))
    [partner] = theirs
    imported = ImportedIIA(
        partner_hei_id=_text(partner, "hei-id"),
        partner_iia_id=_text(partner, "iia-id"),
        partner_iia_code=_text(partner, "iia-code"),
        our_iia_id=_text(ours, "iia-id"),
        in_effect=_text(iia, "in-effect") == "true",
        declared_hash=_text(iia, "iia-hash"),
        computed_hash=iia_hash(iia),
    )
    kept: set[tuple[str, str]] = set()
    conditions = iia.find(_tag("cooperation-conditions"))
    for spec in conditions.iterchildren(etree.Element) if conditions is not None else ():
        name = etree.QName(spec).localname
        if name not in MOBILITY_TYPES:  # termination-as-a-whole, other-info-terms
            continue
        term = _read_spec(spec, MOBILITY_TYPES[name], own_schac_code, imported.not_kept)
        label = term.label
        if term.key in kept:
            imported.not_kept.append(
                _("%(term)s : une seconde condition du même type et du même sens (le portail en garde une).")
                % {"term": label}
            )
            continue
        kept.add(term.key)
        imported.terms.append(term)
    return imported


def _read_spec(spec: etree._Element, mobility_type: str, own: str, not_kept: list[str]) -> ImportedTerm:
    outgoing = _text(spec, "sending-hei-id") == own
    direction = MobilityTerm.Direction.OUTGOING if outgoing else MobilityTerm.Direction.INCOMING
    if not outgoing and _text(spec, "receiving-hei-id") != own:
        raise IIAImportRefused(
            _("Une condition de mobilité ne part pas de notre établissement et n’y arrive pas non plus.")
        )
    places = _number(spec, "mobilities-per-year")
    skills = spec.findall(_tag("recommended-language-skill"))
    areas = spec.findall(_tag("subject-area"))
    eqf_levels = [element.text or "" for element in spec.findall(_tag("eqf-level"))]
    term = ImportedTerm(
        mobility_type=mobility_type,
        direction=direction,
        places_per_year=int(places) if places is not None else None,
        duration_months="",
        duration_days=None,
        isced_code=_text(areas[0], "isced-f-code") if areas else "",
        eqf_level=int(eqf_levels[0]) if eqf_levels else None,
        language=_text(skills[0], "language").split("-")[0].lower() if skills else "",
        cefr_level=_text(skills[0], "cefr-level") if skills else "",
        blended=_text(spec, "blended") == "true",
        first_academic_year=int(_text(spec, "receiving-first-academic-year-id")[:4]),
        last_academic_year=int(_text(spec, "receiving-last-academic-year-id")[:4]),
    )
    months, days = _number(spec, "total-months-per-year"), _number(spec, "total-days-per-year")
    # Our terms hold each mobility's length; the format holds the year's total.
    if months is not None and places:
        term.duration_months = str((months / places).quantize(Decimal("0.1"), ROUND_HALF_UP))
    if days is not None and places:
        term.duration_days = int((days / places).to_integral_value(ROUND_HALF_UP))
    label = term.label
    for what, extra in (
        (_("domaine d’études"), [_text(area, "isced-f-code") or "?" for area in areas[1:]]),
        (_("niveau CEC"), eqf_levels[1:]),
        (_("langue recommandée"), [_text(skill, "language") for skill in skills[1:]]),
    ):
        if extra:
            not_kept.append(
                _("%(term)s — %(what)s en plus du premier, non repris : %(values)s.")
                % {"term": label, "what": what, "values": ", ".join(extra)}
            )
    if term.isced_code and term.isced_code not in isced_f_fields():
        not_kept.append(
            _("%(term)s — domaine « %(code)s » : pas un domaine détaillé ISCED-F 2013, non repris.")
            % {"term": label, "code": term.isced_code}
        )
        term.isced_code = ""
    if term.language and term.language not in dict(MobilityTerm._meta.get_field("language").choices or []):
        not_kept.append(
            _("%(term)s — langue « %(language)s » : pas un code ISO 639-1, non reprise.")
            % {"term": label, "language": term.language}
        )
        term.language = term.cefr_level = ""
    return term


def matching_agreement(imported: ImportedIIA, partner: Institution | None) -> Agreement | None:
    """Our agreement that this copy is about: the one it names by our iia-id, else the latest
    one with this partner and the partner's iia-id, a draft first."""
    if partner is None:  # a partner we do not know yet is party to none of our agreements
        return None
    pk = agreement_pk_of(imported.our_iia_id)
    if pk is not None:
        # Ours only if this partner is party to it: a copy cannot reach another partner's agreement.
        named = Agreement.objects.filter(pk=pk, kind=Agreement.Kind.ERASMUS_IIA, parties=partner).first()
        if named is not None:
            return named
    if not imported.partner_iia_id:
        return None
    return (
        Agreement.objects.filter(partner_iia_id=imported.partner_iia_id, parties=partner)
        .order_by("-is_draft", "-pk")
        .first()
    )


def _number(spec: etree._Element, name: str) -> Decimal | None:
    text = _text(spec, name)
    try:
        return Decimal(text) if text else None
    except InvalidOperation:  # the schema admits no such value; kept defensive for an altered schema
        return None


def _text(parent: etree._Element, name: str) -> str:
    element = parent.find(_tag(name))
    return (element.text or "").strip() if element is not None else ""


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


@dataclass
class Difference:
    """One thing the import would change in an existing agreement, as staff read it."""

    what: str
    current: str
    imported: str


def differences(imported: ImportedIIA, agreement: Agreement) -> list[Difference]:
    """What confirming the import would change in `agreement`, field by field."""
    found = [
        Difference(_verbose_name(Agreement, name), _shown(current), _shown(new))
        for name, current, new in (
            (
                "first_academic_year",
                _year(agreement.first_academic_year),
                _year(imported.first_academic_year),
            ),
            ("last_academic_year", _year(agreement.last_academic_year), _year(imported.last_academic_year)),
            ("partner_iia_id", agreement.partner_iia_id, imported.partner_iia_id),
        )
        if _shown(current) != _shown(new)
    ]
    current_terms = {(term.mobility_type, term.direction): term for term in agreement.mobility_terms.all()}
    imported_terms = {term.key: term for term in imported.terms}
    for key in sorted(current_terms.keys() | imported_terms.keys()):
        label = str(MobilityTerm(mobility_type=key[0], direction=key[1]))
        term, new = current_terms.get(key), imported_terms.get(key)
        if term is None:
            found.append(Difference(label, _("absente"), _("ajoutée")))
        elif new is None:
            found.append(Difference(label, _("présente"), _("supprimée")))
        else:
            for name, value in new.values().items():
                choices = dict(MobilityTerm._meta.get_field(name).choices or [])  # type: ignore[union-attr]
                before, after = _shown(getattr(term, name), choices), _shown(value, choices)
                if before != after:
                    found.append(Difference(f"{label} — {_verbose_name(MobilityTerm, name)}", before, after))
    return found


def _year(first_year: int | None) -> str:
    return academic_year_label(first_year) if first_year is not None else ""


def _verbose_name(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _shown(value, choices: dict | None = None) -> str:
    """A value as the preview shows it: a choice by its label, yes/no, an empty one as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
