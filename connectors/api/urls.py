from django.urls import path

from .views import DeliveryListView, ReplayView

urlpatterns = [
    path("deliveries", DeliveryListView.as_view(), name="deliveries"),
    path("deliveries/replay", ReplayView.as_view(), name="deliveries-replay"),
]
