"""The Django platform: the only package of vinculo that imports Django or django-ninja."""
