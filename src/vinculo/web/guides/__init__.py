"""Task-based guides for each kind of user, served inside the platform ("How this works").

The guides are Markdown files in the repository's ``docs/guides/`` (this package's ``content`` folder
links there, so the same text is read on the code host and in the platform) with screenshots from
``docs/screenshots/``.
"""
