"""The official EWP IIA v7 schemas, read from the folder that PORTAL_EWP_SCHEMAS names.

The EWP project publishes them in its GitHub repositories (MIT licence): the IIA API's
`endpoints/get-response.xsd` (ewp-specs-api-iias, branch stable-v7) and the five type schemas it
imports (ewp-specs-architecture's `common-types.xsd`, and the `schema.xsd` of
ewp-specs-types-contact, -address, -phonenumber and -academic-term, branch stable-v1). The
README says how to fetch them. Any layout will do: each file is recognised by its
`targetNamespace`, and the schemas' imports are resolved to these local files only, never to
the network.
"""

from functools import cache
from pathlib import Path

import xmlschema
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.utils.translation import gettext as _

from partnerships.ewp.iia_export import NAMESPACE

EWP = "https://github.com/erasmus-without-paper/"
# The namespaces the get-response schema imports, each from a file of its own.
IMPORTED_NAMESPACES = (
    EWP + "ewp-specs-architecture/blob/stable-v1/common-types.xsd",
    EWP + "ewp-specs-types-contact/tree/stable-v1",
    EWP + "ewp-specs-types-address/tree/stable-v1",
    EWP + "ewp-specs-types-phonenumber/tree/stable-v1",
    EWP + "ewp-specs-types-academic-term/tree/stable-v1",
)


class SchemasMissing(Exception):
    """The schemas are not installed, or not all of them: the message says what to do."""


def iia_get_response_schema() -> xmlschema.XMLSchema:
    """The schema of an IIA v7 get-response, or SchemasMissing."""
    folder = settings.PORTAL_EWP_SCHEMAS
    if not folder:
        raise SchemasMissing(
            _(
                "Les schémas officiels EWP ne sont pas installés : renseignez PORTAL_EWP_SCHEMAS "
                "(voir le README, « Erasmus Without Paper »)."
            )
        )
    return _schema(str(Path(folder).resolve()))


@cache
def _schema(folder: str) -> xmlschema.XMLSchema:
    by_namespace = _schema_files(Path(folder))
    missing = [ns for ns in (NAMESPACE, *IMPORTED_NAMESPACES) if ns not in by_namespace]
    if missing:
        raise SchemasMissing(
            _("Schémas EWP incomplets dans %(folder)s : il manque %(missing)s.")
            % {"folder": folder, "missing": ", ".join(missing)}
        )
    return xmlschema.XMLSchema(
        by_namespace[NAMESPACE],
        locations=[(namespace, by_namespace[namespace].as_uri()) for namespace in IMPORTED_NAMESPACES],
        allow="local",  # the schemas' own schemaLocations point to the web: never fetched
    )


def _schema_files(folder: Path) -> dict[str, Path]:
    """Each .xsd file under `folder`, by the namespace it defines."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.xsd")):
        try:
            root = SafeElementTree.parse(path).getroot()
        except SafeElementTree.ParseError:
            continue
        namespace = root.get("targetNamespace") if root is not None else None
        if namespace:
            found.setdefault(namespace, path)
    return found
