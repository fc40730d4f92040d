from django.urls import path

from .views import DeliveryListView, ReplayView
from .webhooks import WebhookView

urlpatterns = [
    path("deliveries", DeliveryListView.as_view(), name="deliveries"),
    path("deliveries/replay", ReplayView.as_view(), name="deliveries-replay"),
    path("webhooks/<str:system>/", WebhookView.as_view(), name="webhooks"),
]
