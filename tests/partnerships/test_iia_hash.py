"""The `iia-hash` of Erasmus Without Paper (IIA v7) is the official one: on the EWP project's own
example it is the hash printed in it, and on that example changed in every way the stylesheet
cares about, our text to hash is the stylesheet's own output (run with Saxon-HE, saxonche).

The example and the stylesheet are read from the EWP schemas beside the project (../shared/ewp);
where they are not, the tests say so and are skipped."""

import copy
import hashlib
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from partnerships.ewp.iia_hash import iia_hash, text_to_hash

EWP = Path(settings.BASE_DIR).parent / "shared" / "ewp"
EXAMPLE = EWP / "xslt" / "get-response-v7.xml"
STYLESHEET = EWP / "xslt" / "transform_version_7.xsl"

pytestmark = pytest.mark.skipif(not EXAMPLE.exists(), reason=f"the EWP example is not at {EXAMPLE}")


def example() -> etree._ElementTree:
    return etree.parse(str(EXAMPLE))


def iias(tree: etree._ElementTree) -> list[etree._Element]:
    return [
        element
        for element in tree.iter()
        if isinstance(element.tag, str) and etree.QName(element).localname == "iia"
    ]


def first(tree: etree._ElementTree, local_name: str) -> etree._Element:
    return next(e for e in tree.iter() if isinstance(e.tag, str) and etree.QName(e).localname == local_name)


def stylesheet_texts(tree: etree._ElementTree) -> list[str]:
    """What the EWP stylesheet says is to be hashed, for each IIA of the document."""
    saxonche = pytest.importorskip("saxonche", reason="saxonche (Saxon-HE) runs the XSLT 2.0 stylesheet")
    with saxonche.PySaxonProcessor(license=False) as processor:
        compiled = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(STYLESHEET))
        document = processor.parse_xml(xml_text=etree.tostring(tree, encoding="unicode"))
        output = compiled.transform_to_string(xdm_node=document)
    return [html.unescape(text) for text in re.findall(r"<text-to-hash>(.*?)</text-to-hash>", output, re.S)]


def test_on_the_official_example_the_hash_is_the_one_printed_in_it():
    tree = example()
    [iia] = iias(tree)
    printed = first(tree, "iia-hash").text
    assert printed == "87b33170d7a6c6d894215641f39e7b7de36501265479e5ab3922f32d5b225033"
    assert iia_hash(iia) == printed


def variants():
    """The example, changed in each way the stylesheet treats specially."""

    def terminated(tree):
        first(tree, "cooperation-conditions").set("terminated-as-a-whole", "true")

    def without_partner_iia_id(tree):
        partners = [
            e for e in tree.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "partner"
        ]
        iia_id = next(child for child in partners[1] if etree.QName(child).localname == "iia-id")
        partners[1].remove(iia_id)

    def spec_not_yet_defined(tree):
        spec = first(tree, "cooperation-conditions")[0]
        spec.set("not-yet-defined", "true")

    def everything_defined(tree):
        for element in tree.iter():
            if isinstance(element.tag, str):
                element.attrib.pop("not-yet-defined", None)

    def isced_without_v6(tree):
        first(tree, "isced-f-code").attrib.pop("v6-value")

    def comment_and_spaces_in_a_value(tree):
        element = first(tree, "isced-clarification")
        element.text = " Sciences  sociales "
        element.append(etree.Comment("a note"))
        element[-1].tail = "\n"

    def a_second_spec(tree):
        conditions = first(tree, "cooperation-conditions")
        conditions.append(copy.deepcopy(conditions[0]))
        for element in conditions[-1].iter():
            if (
                isinstance(element.tag, str)
                and etree.QName(element).localname == "receiving-last-academic-year-id"
            ):
                element.text = "2029/2030"

    return [
        terminated,
        without_partner_iia_id,
        spec_not_yet_defined,
        everything_defined,
        isced_without_v6,
        comment_and_spaces_in_a_value,
        a_second_spec,
    ]


@pytest.mark.parametrize(
    "change", [None, *variants()], ids=lambda change: change.__name__ if change else "as-is"
)
def test_our_text_to_hash_is_the_stylesheets(change):
    tree = example()
    if change:
        change(tree)
    expected = stylesheet_texts(tree)
    ours = [text_to_hash(iia) for iia in iias(tree)]
    assert ours == expected
    if change:  # each change matters to the stylesheet: the comparison is not of the example again
        assert expected != stylesheet_texts(example())
    assert [iia_hash(iia) for iia in iias(tree)] == [hashlib.sha256(t.encode()).hexdigest() for t in expected]
