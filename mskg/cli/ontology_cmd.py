"""`mskg ontology …`: the derived ontology files."""

from __future__ import annotations

import typer
from rich.console import Console

from ontology.artifacts import GENERATED_DIR, artifacts
from ontology.overview import with_overview

app = typer.Typer(
    help="The ontology's derived files (OWL, SHACL, JSON-LD context).", no_args_is_help=True
)
err = Console(stderr=True)


@app.command()
def generate() -> None:
    """Regenerate ontology/generated/ from the declaration."""
    GENERATED_DIR.mkdir(exist_ok=True)
    for name, text in artifacts().items():
        (GENERATED_DIR / name).write_text(text, encoding="utf-8")
        err.print(f"wrote {GENERATED_DIR / name}")
    readme = GENERATED_DIR.parent.parent / "README.md"
    if readme.exists():
        readme.write_text(with_overview(readme.read_text(encoding="utf-8")), encoding="utf-8")
        err.print(f"updated the ontology overview in {readme}")
