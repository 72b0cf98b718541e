import pytest
from django.urls import reverse
from tests.security.world import build_world, ROLES
from tests.security.matrix import GET_MATRIX as KWARGS, url_names as all_url_names

pytestmark = pytest.mark.django_db

def test_discover(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    import time; t=time.perf_counter(); w = build_world(); print('WORLD', time.perf_counter()-t)
    names = all_url_names()
    missing = [n for n in names if n not in KWARGS]
    print("MISSING", missing)
    for role in ROLES:
        client.logout()
        if w.user(role):
            client.force_login(w.user(role))
        row = []
        for name in names:
            if name not in KWARGS: continue
            url = reverse(name, kwargs=KWARGS[name].kwargs(w))
            import time; t=time.perf_counter(); r = client.get(url); dt=time.perf_counter()-t
            if r.streaming: b''.join(r.streaming_content)
            r.close()
            if dt>0.3: print('SLOW', role, name, round(dt,2))
            s = r.status_code
            if s == 302:
                s = "L" if r["Location"].startswith("/konto/anmelden/") or r["Location"].startswith("/admin/login/") else "302:" + r["Location"]
            row.append(f"{name}={s}")
        print("ROLE", role, " ".join(row))
