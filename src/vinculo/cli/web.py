"""Platform commands: serve, demo, worker, createadmin, manage, generate-key. Django is imported only when used."""

from __future__ import annotations

import os
import sys

import click


def _setup(settings: str | None) -> None:
    if settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinculo.web.settings.dev")
    try:
        import django
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise click.ClickException("The platform needs the web extra: pip install 'vinculo[web]'.") from exc
    django.setup()


def browser_address(host: str, port: int) -> str:
    """The address to open in a browser for a server listening on ``host``: a wildcard becomes loopback."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def _run_server(host: str, port: int) -> None:
    """Django's server plus a background-job worker thread in the same process (for one machine)."""
    from django.core.management import call_command

    from vinculo.web.jobs.runner import start_background_worker

    start_background_worker()
    click.echo(f"vinculo is at {browser_address(host, port)}/ (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False)


settings_option = click.option(
    "--settings",
    default=None,
    help="Django settings module (default: vinculo.web.settings.dev, or $DJANGO_SETTINGS_MODULE).",
)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@settings_option
def serve(host: str, port: int, settings: str | None) -> None:
    """Apply pending migrations and serve the platform (use gunicorn behind a proxy in production)."""
    _setup(settings)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    _run_server(host, port)


@click.command()
@click.option(
    "--serve/--no-serve", "then_serve", default=True, show_default=True, help="Serve after loading."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@settings_option
def demo(then_serve: bool, host: str, port: int, settings: str | None) -> None:
    """Create the database, load demo data (fictitious, clearly labelled) and serve the platform."""
    _setup(settings)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo_data", address=browser_address(host, port))
    if then_serve:
        _run_server(host, port)


@click.command()
@click.option("--once", is_flag=True, help="Run the jobs that are queued now, then exit.")
@click.option(
    "--poll",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds between looks at an empty queue.",
)
@settings_option
def worker(once: bool, poll: float, settings: str | None) -> None:
    """Run background jobs (estimates, case files); production runs one or more beside the web server."""
    _setup(settings)
    from django.core.management import call_command

    call_command("worker", once=once, poll=poll)


@click.command()
@click.argument("username")
@click.option("--email", default="", help="E-mail address, used for password reset.")
@settings_option
def createadmin(username: str, email: str, settings: str | None) -> None:
    """Create a platform administrator (asks for the password, or reads VINCULO_ADMIN_PASSWORD)."""
    _setup(settings)
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("createadmin", username, email=email)
    except CommandError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run any Django management command, e.g. ``vinculo manage migrate``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinculo.web.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line([f"{sys.argv[0]} manage", *args])


@click.command("generate-key")
def generate_key() -> None:
    """Print a new encryption key for VINCULO_ENCRYPTION_KEYS."""
    from vinculo.protect import generate_key as make

    click.echo(make())
