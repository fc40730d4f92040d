from django.urls import path

from .standing import EntitlementValidateView, StandingByLocalIdView, StandingView
from .views import DeliveryListView, ReplayView
from .webhooks import WebhookView

urlpatterns = [
    path("deliveries", DeliveryListView.as_view(), name="deliveries"),
    path("deliveries/replay", ReplayView.as_view(), name="deliveries-replay"),
    path("webhooks/<str:system>/", WebhookView.as_view(), name="webhooks"),
    path("customers/<str:golden_id>/standing", StandingView.as_view(), name="customer-standing"),
    path("standing", StandingByLocalIdView.as_view(), name="standing-by-local-id"),
    path("entitlements/validate", EntitlementValidateView.as_view(), name="entitlements-validate"),
]
