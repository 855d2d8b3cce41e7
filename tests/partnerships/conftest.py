import io

import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The site's real seed content, loaded as `make run` loads it."""
    call_command("load_seed", stdout=io.StringIO())
