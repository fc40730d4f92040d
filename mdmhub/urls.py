from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import health
from .metrics import metrics_view

admin.site.site_header = "mdmhub stewardship"
admin.site.site_title = "mdmhub"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/v1/match/", include("matching.api.urls")),
    path("api/v1/", include("connectors.api.urls")),
    path("api/v1/", include("canonical.api.urls")),
]

if settings.MDMHUB_BENCH_VIEWS:
    from .bench_views import bare_xref

    urlpatterns.append(path("bench/bare-xref/<str:system>/<str:entity>/<path:local_id>", bare_xref))

handler400 = "mdmhub.problems.handler400"
handler404 = "mdmhub.problems.handler404"
handler500 = "mdmhub.problems.handler500"
