from django.urls import path

from .views import MatchView

urlpatterns = [path("<str:entity>", MatchView.as_view(), name="match")]
