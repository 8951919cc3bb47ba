"""The app's URLs plus a trivial template view: the yardstick every page is compared with."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from ninefold.urls import urlpatterns as app_urlpatterns


@login_required
def trivial(request):
    """Session, user, the base template: what every signed-in page costs at least."""
    return render(request, "bench/trivial.html")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *app_urlpatterns]
