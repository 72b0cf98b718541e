"""Large exports: a background job with progress, a permission-checked download, expiry."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.jobs import delete_expired_exports, run_export_job
from reports.models import ExportJob
from sessions_log.models import SessionEntry
from tests.factories import FacilitatorFactory, UserFactory, VoucherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(db):
    f = FacilitatorFactory()
    v = VoucherFactory(facilitators=[f])
    SessionEntry.objects.bulk_create(
        [
            SessionEntry(
                voucher=v,
                facilitator=f,
                date=dt.date(2026, 3, 1),
                minutes=45,
                activity="workshop",
                format="video",
                notes="=A1" if i == 0 else "ok",
            )
            for i in range(7)
        ]
    )
    return v


@pytest.fixture
def big(settings, tmp_path):
    settings.REPORTS_EXPORT_ASYNC_THRESHOLD = 5
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_large_export_runs_as_job_and_downloads(
    office_client, office_user, sessions, big, django_capture_on_commit_callbacks
):
    url = reverse("reports:export", args=["sitzungen", "csv"]) + "?format=video"
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_job", args=[job.uuid])
    assert job.created_by == office_user
    assert job.params == {"format": ["video"]}
    assert job.status == ExportJob.Status.DONE
    assert job.rows_written == job.total_rows == 7
    assert job.expires_at > timezone.now() + dt.timedelta(days=6)
    path = Path(job.file.path)
    assert path.is_file()
    assert big in path.parents

    page = office_client.get(job.get_absolute_url()).content.decode()
    download_url = reverse("reports:export_download", args=[job.uuid])
    assert download_url in page
    assert "hx-get" not in page  # done: no more polling

    response = office_client.get(download_url)
    assert response.status_code == 200
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(rows) == 8
    assert sorted(r[-1] for r in rows[1:])[0] == "'=A1"


def test_pending_job_shows_progress_and_polls(office_client, office_user):
    job = ExportJob.objects.create(
        created_by=office_user,
        report="sitzungen",
        file_format="csv",
        total_rows=80_000,
        rows_written=20_000,
        status=ExportJob.Status.RUNNING,
    )
    html = office_client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="25"' in html  # <progress max="100" value="25">
    partial = office_client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert b'id="export-status"' in partial.content
    assert office_client.get(reverse("reports:export_download", args=[job.uuid])).status_code == 404


def test_only_the_requester_or_an_admin_may_download(
    client, office_user, admin_user, sessions, big, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:export", args=["sitzungen", "xlsx"]))
    job = ExportJob.objects.get()
    download = reverse("reports:export_download", args=[job.uuid])
    client.force_login(UserFactory(role="office"))
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(download).status_code == 404
    client.force_login(admin_user)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")  # an XLSX (zip) file
    client.force_login(FacilitatorFactory().user)
    assert client.get(download).status_code == 403


def test_expired_exports_are_deleted(office_user, sessions, big):
    job = ExportJob.objects.create(created_by=office_user, report="sitzungen", file_format="csv")
    run_export_job(job.pk)
    job.refresh_from_db()
    path = Path(job.file.path)
    assert path.is_file()
    assert delete_expired_exports() == 0
    assert delete_expired_exports(now=job.expires_at + dt.timedelta(seconds=1)) == 1
    assert not path.exists()
    assert not ExportJob.objects.exists()


def test_run_export_job_is_idempotent(office_user, sessions, big):
    job = ExportJob.objects.create(created_by=office_user, report="sitzungen", file_format="csv")
    run_export_job(job.pk)
    first = ExportJob.objects.get().file.name
    run_export_job(job.pk)
    assert ExportJob.objects.get().file.name == first
    assert len(list(Path(big).rglob("*.csv"))) == 1
