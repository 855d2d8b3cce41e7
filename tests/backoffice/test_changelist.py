"""The change lists' row checkbox is written without the widget templates, yet is the very
markup Django's widget gives: the admin's "select all" script and the screen-reader label rely on it."""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import User
from django.utils import translation

from partnerships.models import Institution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_row_checkbox_is_djangos_own_markup(language):
    institution = Institution.objects.create(
        name='L’« Institut » <b> & "fils"', slug="institut", country="BE"
    )
    ours = admin.site._registry[Institution]
    with translation.override(language):
        expected = ModelAdmin.action_checkbox(ours, institution)
        written = ours.action_checkbox(institution)
    assert written == expected
    assert 'aria-label="' in written
    assert "<b>" not in written


def test_list_shows_a_labelled_checkbox_per_row(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    for number in range(3):
        Institution.objects.create(name=f"Partenaire {number}", slug=f"partenaire-{number}", country="BE")
    page = client.get("/gestion/partnerships/institution/").content.decode()
    assert page.count('class="action-select" aria-label="Choisir cet objet pour une action - Partenaire') == 3
