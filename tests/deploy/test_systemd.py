"""The systemd units of deploy/systemd, checked by systemd itself (`systemd-analyze verify`), with
the portal's folder pointing at this checkout, and read for the settings they give: the same for
every instance, but for the folders of its own that the two-instance test gives each one too."""

import configparser
import shutil
import subprocess

import pytest

from tests.deploy.servers import PROJECT_ROOT

UNITS = PROJECT_ROOT / "deploy" / "systemd"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read(UNITS / name)
    return parser


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_every_unit_passes_systemd_analyze_verify(tmp_path):
    assert SYSTEMD_ANALYZE is not None
    for path in UNITS.iterdir():
        text = path.read_text().replace("/srv/irts-portal", str(PROJECT_ROOT))
        # An instance of the template, as `systemctl start irts-portal@8001` makes one.
        name = path.name.replace("@.", "@8001.")
        (tmp_path / name).write_text(text)
    names = sorted(str(path) for path in tmp_path.iterdir())
    checked = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", *names], capture_output=True, text=True, cwd=tmp_path
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""


def test_each_instance_has_its_own_folders_and_the_shared_settings():
    service = unit("irts-portal@.service")["Service"]
    # Each Environment= line sets one variable (configparser would keep only the last of them).
    lines = (UNITS / "irts-portal@.service").read_text().splitlines()
    own = dict(
        line.removeprefix("Environment=").split("=", 1) for line in lines if line.startswith("Environment=")
    )
    assert own["GUNICORN_BIND"] == "127.0.0.1:%i"
    for folder in ("DJANGO_MEDIA_ROOT", "DJANGO_PRIVATE_MEDIA_ROOT", "PORTAL_PAGE_CACHE_DIR"):
        assert own[folder].startswith("/var/lib/irts-portal/%i/"), folder
    assert service["StateDirectory"] == "irts-portal/%i"
    assert service["EnvironmentFile"] == "/etc/irts-portal/portal.env"
    assert unit("irts-portal-setup.service")["Service"]["EnvironmentFile"] == "/etc/irts-portal/portal.env"
    assert "irts-portal-setup.service" in unit("irts-portal@.service")["Unit"]["Requires"]
    assert unit("irts-portal-mail.service")["Service"]["ExecStart"].endswith("manage.py send_queued_mail")
