"""How loader commands report that the graph failed them: one line, naming the cause, what
was kept, and the exact command that resumes the work.

Every import resumes by running the same command again: batched imports (`load csv|json|yaml`,
`load rdf`) upsert by key, so the batches already committed are found unchanged and skipped;
single-transaction ones (`load seed`, `load rdf --restore`) wrote nothing.
"""

from __future__ import annotations

import shlex
import sys

import typer
from rich.console import Console
from rich.text import Text

from graph.errors import GraphError, GraphUnavailableError, QueryTimeoutError

# sysexits' EX_TEMPFAIL: "try again later" — lets scripts tell an outage from bad input.
EXIT_UNAVAILABLE = 75


def resume_command() -> str:
    """The command line this process was started with, as a user would type it."""
    return shlex.join(["mskg", *sys.argv[1:]])


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def report_graph_failure(err: Console, exc: GraphError, batched: bool) -> typer.Exit:
    """Print the one-line error for `exc` and return the Exit to raise."""
    kept = (
        "batches already written are kept and are skipped when you resume"
        if batched
        else "nothing was written"
    )
    if isinstance(exc, GraphUnavailableError):
        line = f"{_one_line(exc)} — {kept}; once Neo4j answers, resume with: {resume_command()}"
        code = EXIT_UNAVAILABLE
    elif isinstance(exc, QueryTimeoutError):
        line = (
            f"{_one_line(exc)} — {kept}; raise MSKG_BULK_TIMEOUT_SECONDS or lower --batch-size, "
            f"then resume with: {resume_command()}"
        )
        code = 1
    else:
        hint = getattr(exc, "hint", "")
        line = _one_line(f"{exc} {hint}".strip())
        code = 1
    err.print(Text("error: ", style="red") + Text(line), soft_wrap=True)
    return typer.Exit(code)
