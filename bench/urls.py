"""The benchmark's URLconf: the portal's own URLs plus the two baselines."""

from django.urls import include, path

from bench.bare_views import bare_queue, hello

urlpatterns = [
    path("bench/bare-queue/", bare_queue, name="bench_bare_queue"),
    path("bench/hello/", hello, name="bench_hello"),
    path("", include("portal.urls")),
]

handler404 = "portal.views.errors.page_not_found"
handler500 = "portal.views.errors.server_error"
