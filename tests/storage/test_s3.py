"""Issue 21: media on S3-compatible object storage (django-storages), tested against a real S3
API over HTTP — moto's standalone server, started as a subprocess and stopped by its PID.
Documents are written to the bucket and still downloaded only through the permission-checking
views, which stream them from the storage."""

from __future__ import annotations

import contextlib
import hashlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import SignedAgreement
from agreements.services import generate_agreement
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.pdfs import minimal_pdf
from vouchers import services

pytestmark = pytest.mark.django_db
BUCKET = "portal-media"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("moto_server did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-central-1")
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "location": "media",
                "endpoint_url": s3_endpoint,
                "region_name": "eu-central-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    return client


def _issued_voucher():
    office = UserFactory(role="office")
    application = ApplicationFactory(organisation=OrganisationFactory())
    voucher = services.approve_application(
        application, by=office, facilitators=[FacilitatorFactory()]
    )
    return office, voucher


def test_an_agreement_is_written_to_the_bucket_and_served_through_the_view(s3, client):
    office, voucher = _issued_voucher()
    version = generate_agreement(voucher, by=office)
    stored = s3.get_object(Bucket=BUCKET, Key=f"media/{version.pdf.name}")["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == version.sha256
    client.force_login(office)
    response = client.get(reverse("agreements:download", args=[version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert "no-store" in response["Cache-Control"]
    # Someone else's applicant still gets a 404, whatever the storage.
    client.force_login(OrganisationFactory().members.first())
    assert client.get(reverse("agreements:download", args=[version.pk])).status_code == 404


def test_a_signed_upload_lands_in_the_bucket(s3, client):
    office, voucher = _issued_voucher()
    generate_agreement(voucher, by=office)
    client.force_login(voucher.organisation.members.first())
    scan = minimal_pdf()
    response = client.post(
        reverse("agreements:upload", args=[voucher.pk]),
        {"file": SimpleUploadedFile("scan.pdf", scan, content_type="application/pdf")},
    )
    assert response.status_code == 302
    signed = SignedAgreement.objects.filter(voucher=voucher).latest("uploaded_at")
    body = s3.get_object(Bucket=BUCKET, Key=f"media/{signed.file.name}")["Body"].read()
    assert body == scan


def test_readiness_checks_the_object_storage(s3, client):
    response = client.get(reverse("readyz"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert any("Storage" in name for name in response.json())


def test_media_storage_url_configures_s3(monkeypatch):
    """The production variable: ``MEDIA_STORAGE_URL=s3://bucket/prefix?endpoint_url=…``."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "AWS_STORAGE_BUCKET_NAME"}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        MEDIA_STORAGE_URL="s3://akten/portal?endpoint_url=https://s3.example.org&region_name=eu",
    )
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.STORAGES['default']; print(o['BACKEND'], o['OPTIONS']['bucket_name'], "
        "o['OPTIONS']['location'], o['OPTIONS']['endpoint_url'], o['OPTIONS']['region_name'])"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert out == [
        "storages.backends.s3.S3Storage",
        "akten",
        "portal",
        "https://s3.example.org",
        "eu",
    ]
