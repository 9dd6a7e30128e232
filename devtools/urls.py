from django.urls import path

from .bench import bare

# The ceiling of bench/run.py: 20 KB of constant HTML through the same stack.
urlpatterns = [path("_bench/bare/", bare)]
