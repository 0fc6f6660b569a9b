"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """A long multiple choice (e.g. "share with these organisations") as a list of checkboxes.

    Without script it is a plain, scrollable list of checkboxes: no Ctrl-click, every choice
    reachable with Tab and Space. ``vinculo/pick-list.js`` adds a filter box above it, keeps the
    chosen items in view, and says how many are chosen and shown (announced politely); the arrow
    keys move between the shown items and back to the filter box.
    """

    template_name = "core/widgets/searchable_checkboxes.html"
