from django.urls import path

from .views import (
    PLURALS,
    ChangeFeedView,
    GoldenDetailView,
    GoldenListView,
    IngestView,
    XrefResolveView,
    XrefView,
)

urlpatterns = [
    path("systems/<str:system>/<str:entity>/<path:local_id>", IngestView.as_view(), name="ingest"),
    path("xref/resolve", XrefResolveView.as_view(), name="xref-resolve"),
    path("xref/<str:system>/<str:entity>/<path:local_id>", XrefView.as_view(), name="xref"),
    path("changes", ChangeFeedView.as_view(), name="changes"),
]
for plural, entity in PLURALS.items():
    urlpatterns += [
        path(f"{plural}/", GoldenListView.as_view(entity=entity), name=f"{entity}-list"),
        path(f"{plural}/<str:golden_id>", GoldenDetailView.as_view(entity=entity), name=f"{entity}-detail"),
    ]
