import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from backoffice.roles import ROLES
from partnerships.models import SeedRecord


@pytest.fixture
def seed_folder(tmp_path, settings):
    settings.PORTAL_SEED_FIXTURES_DIR = tmp_path
    (tmp_path / "010_groups.json").write_text(
        json.dumps(
            [
                {"model": "auth.group", "fields": {"name": "Lecteurs", "permissions": []}},
                {"model": "auth.group", "fields": {"name": "Rédacteurs", "permissions": []}},
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "020_users.json").write_text(
        json.dumps(
            [
                {
                    "model": "auth.user",
                    "fields": {
                        "username": "lea",
                        "email": "lea@example.org",
                        "password": "!",
                        "groups": [["Lecteurs"]],
                    },
                }
            ]
        ),
        encoding="utf-8",
    )
    return tmp_path


def snapshot() -> list:
    return [
        # The staff roles' groups come from a migration, not from the seed.
        sorted(Group.objects.exclude(name__in=ROLES).values_list("name", flat=True)),
        list(User.objects.values_list("username", "email")),
        sorted(User.objects.get(username="lea").groups.values_list("name", flat=True)),
    ]


@pytest.mark.django_db
def test_load_seed_twice_leaves_the_same_rows(seed_folder, capsys):
    call_command("load_seed")
    assert "3 added" in capsys.readouterr().out
    first = snapshot()
    call_command("load_seed")
    assert "0 added, 3 already handled" in capsys.readouterr().out
    assert snapshot() == first == [["Lecteurs", "Rédacteurs"], [("lea", "lea@example.org")], ["Lecteurs"]]


@pytest.mark.django_db
def test_load_seed_keeps_what_staff_changed_and_does_not_restore_what_they_deleted(seed_folder):
    call_command("load_seed")
    User.objects.filter(username="lea").update(email="lea.martin@example.org")
    Group.objects.filter(name="Rédacteurs").delete()

    call_command("load_seed")

    assert User.objects.get(username="lea").email == "lea.martin@example.org"
    assert not Group.objects.filter(name="Rédacteurs").exists()


@pytest.mark.django_db
def test_load_seed_leaves_an_existing_object_alone_and_adds_only_the_missing_ones(seed_folder):
    Group.objects.create(name="Lecteurs")
    call_command("load_seed")
    assert Group.objects.filter(name="Lecteurs").count() == 1
    assert Group.objects.filter(name="Rédacteurs").exists()
    assert SeedRecord.objects.count() == 3


@pytest.mark.django_db
def test_ensure_superuser_creates_one_only_when_none_exists(capsys, client):
    call_command("ensure_superuser")
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    assert User.objects.get(username="admin").check_password(password)

    call_command("ensure_superuser")
    assert capsys.readouterr().out == ""
    assert User.objects.filter(is_superuser=True).count() == 1
