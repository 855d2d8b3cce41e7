"""The `iia-hash` of an Erasmus Without Paper inter-institutional agreement (IIA API v7).

Partners compare this hash to know that both sides hold the same cooperation conditions. It is
the SHA-256 (lower-case hex) of a text that the EWP project defines by an XSLT 2.0 stylesheet
(ewp-specs-api-iias, resources/xsltKit/transform_version_7.xsl). This module builds the same
text with lxml, step for step, so that the portal needs no XSLT 2.0 processor; the tests compare
both on the project's own example and on our exports.

The text, for one `iia` element, is the concatenation of:

1. `_@terminated-as-a-whole@_` if a `cooperation-conditions` of the document says so;
2. `_iia-id_<n>=<the n-th partner's iia-id>_` for each partner;
3. for each mobility spec of the cooperation conditions, each of its descendant elements in
   document order, except those inside a sending or receiving contact, the academic-year ids,
   and any element that is, or is inside, one marked `not-yet-defined`:
   - each attribute but `not-yet-defined` and `v6-value`, as `_@<a>.<b>.<element>.<attribute>=<value>@_`
     (the element's grandparent and parent names first);
   - if it has no child element, its text as `_<parent's parent>.<parent>.<element>=<text>_`,
     where an `isced-f-code` with a `v6-value` gives that value;
   then `_receiving-first-academic-year-id=…_` and `_receiving-last-academic-year-id=…_`.
"""

import hashlib

from lxml import etree

NOT_YET_DEFINED = "not-yet-defined"
V6_VALUE = "v6-value"
ACADEMIC_YEARS = ("receiving-first-academic-year-id", "receiving-last-academic-year-id")
CONTACTS = ("sending-contact", "receiving-contact")


def iia_hash(iia: etree._Element) -> str:
    """The official hash of one `iia` element (of a parsed get-response)."""
    return hashlib.sha256(text_to_hash(iia).encode("utf-8")).hexdigest()


def text_to_hash(iia: etree._Element) -> str:
    parts = [_terminated(iia)]
    for position, partner in enumerate(_children(iia, "partner"), start=1):
        parts.append(_element(_first_child(partner, "iia-id"), f"iia-id_{position}"))
    for conditions in _children(iia, "cooperation-conditions"):
        for spec in _element_children(conditions):
            parts += _spec(spec)
    return "".join(parts)


def _spec(spec: etree._Element) -> list[str]:
    parts = []
    for element in spec.iterdescendants(etree.Element):
        if _skipped(element):
            continue
        for name, value in element.attrib.items():
            attribute = etree.QName(name).localname
            if attribute in (NOT_YET_DEFINED, V6_VALUE):
                continue
            path = ".".join((*_ancestor_names(element, 2), _name(element), attribute))
            parts.append(f"_@{path}={value}@_")
        if not _element_children(element):
            parts.append(_element(element, ".".join((*_ancestor_names(element, 2), _name(element)))))
    for name in ACADEMIC_YEARS:
        parts.append(_element(_first_child(spec, name), name))
    return parts


def _skipped(element: etree._Element) -> bool:
    if _name(element) in ACADEMIC_YEARS:
        return True
    ancestors = list(element.iterancestors(etree.Element))
    if any(_name(ancestor) in CONTACTS for ancestor in ancestors):
        return True
    # The stylesheet looks at every ancestor up to the document's root, not only within the spec.
    return any(_not_yet_defined(node) for node in (element, *ancestors))


def _terminated(iia: etree._Element) -> str:
    # As the stylesheet: any cooperation-conditions of the whole document (`//`), not only this IIA's.
    for conditions in iia.getroottree().iter(etree.Element):
        if _name(conditions) != "cooperation-conditions":
            continue
        for name, value in conditions.attrib.items():
            if etree.QName(name).localname == "terminated-as-a-whole" and value in ("true", "1"):
                return "_@terminated-as-a-whole@_"
    return ""


def _element(element: etree._Element | None, name: str) -> str:
    """`_name=value_`, the value being the element's whole text, or nothing for a missing element."""
    if element is None:
        return f"_{name}=_"
    value = _string_value(element)
    if _name(element) == "isced-f-code":
        v6_value = _attribute(element, V6_VALUE)
        if v6_value:
            value = v6_value
    return f"_{name}={value}_"


def _string_value(element: etree._Element) -> str:
    """XPath's string value: every text node inside, comments' and instructions' text left out."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_string_value(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _not_yet_defined(element: etree._Element) -> bool:
    return _attribute(element, NOT_YET_DEFINED) in ("true", "1")


def _attribute(element: etree._Element, local_name: str) -> str | None:
    for name, value in element.attrib.items():
        if etree.QName(name).localname == local_name:
            return value
    return None


def _ancestor_names(element: etree._Element, count: int) -> list[str]:
    """The local names of the element's `count` nearest ancestors, farthest first ("" past the root)."""
    names = []
    node = element.getparent()
    for _ in range(count):
        names.append(_name(node) if node is not None else "")
        node = node.getparent() if node is not None else None
    return list(reversed(names))


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname


def _element_children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _children(element: etree._Element, local_name: str) -> list[etree._Element]:
    return [child for child in _element_children(element) if _name(child) == local_name]


def _first_child(element: etree._Element, local_name: str) -> etree._Element | None:
    found = _children(element, local_name)
    return found[0] if found else None
