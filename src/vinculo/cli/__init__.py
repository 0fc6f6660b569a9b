"""The ``vinculo`` command line. Each area adds its commands from its own module."""

from __future__ import annotations

import click

from vinculo import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vinculo")
def main() -> None:
    """vinculo: coordinated data against trafficking in persons.

    Case data on the Human Trafficking Case Data Standard, estimation of hidden victims
    (Multiple Systems Estimation), UNODC Global Report evidence and a coordination registry.
    """


def _register() -> None:
    from . import audit, backup, cases, estimate, glotip, htcds, linkage, pprl, report, web

    for command in (
        web.serve,
        web.demo,
        web.worker,
        web.createadmin,
        web.manage,
        web.generate_key,
        glotip.glotip,
        htcds.validate,
        estimate.estimate,
        cases.import_,
        report.report,
        audit.audit,
        audit.database_role,
        backup.backup,
        backup.restore,
        linkage.link,
        linkage.dedupe,
        pprl.encode,
        pprl.match,
    ):
        main.add_command(command)


_register()
