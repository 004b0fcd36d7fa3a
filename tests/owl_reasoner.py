"""An OWL 2 reasoner's verdict on RDF files: HermiT (bundled with owlready2, run on Java).

`reason(paths)` merges the files, hands them to HermiT in a child process (its own process
group, killed with HermiT's JVM when it outlasts `timeout`) and returns whether the whole is
consistent and which classes are unsatisfiable. Run as `python -m tests.owl_reasoner`, the child
prints that verdict as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Verdict:
    consistent: bool
    unsatisfiable: list[str]  # IRIs of classes that can have no instance
    error: str | None  # HermiT refused the input (e.g. a datatype outside OWL 2's map)
    seconds: float


class ReasonerTimeoutError(Exception):
    """HermiT did not answer in time (it was stopped)."""


def reason(
    paths: list[Path], *, ignore_unsupported_datatypes: bool = False, timeout: float = 120
) -> Verdict:
    """HermiT's consistency check and classification of the merged `paths`. With
    `ignore_unsupported_datatypes`, literals of datatypes outside OWL 2's datatype map
    (xsd:date, xsd:gYear, …) are accepted as opaque values instead of refused."""
    command = [sys.executable, "-m", "tests.owl_reasoner", *map(str, paths)]
    if ignore_unsupported_datatypes:
        command.append("--ignore-unsupported-datatypes")
    child = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the JVM too
        child.communicate()
        raise ReasonerTimeoutError(f"HermiT gave no verdict in {timeout} s") from None
    if child.returncode != 0:
        raise RuntimeError(f"the reasoner's process failed:\n{err.decode(errors='replace')}")
    return Verdict(**json.loads(out))


def _whole_seconds(graph: Any) -> None:
    """xsd:dateTime literals without their fractions of a second. HermiT refuses a dateTime
    with more than three decimals (XSD allows any number), and owlready2 writes every fraction
    with six (Python's microseconds): the data's timestamps (`dcterms:created`, …) would be
    refused though valid. No axiom constrains a dateTime beyond its datatype, so the fraction
    cannot make the difference between consistent and not."""
    from rdflib import XSD, Literal

    for s, p, o in list(graph):
        if isinstance(o, Literal) and o.datatype == XSD.dateTime and "." in str(o):
            whole, _, rest = str(o).partition(".")
            zone = rest.lstrip("0123456789")
            graph.remove((s, p, o))
            graph.add((s, p, Literal(whole + zone, datatype=XSD.dateTime)))


def _verdict(paths: list[str], ignore_unsupported_datatypes: bool) -> dict[str, Any]:
    import time

    import owlready2
    from rdflib import Graph

    merged = Graph()
    for path in paths:
        merged.parse(path)
    _whole_seconds(merged)
    with tempfile.TemporaryDirectory() as tmp:
        # N-Triples: owlready2 reads it natively, with no syntax of rdflib's to interpret.
        data = Path(tmp) / "input.nt"
        merged.serialize(data, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(data.as_uri()).load()
        started = time.monotonic()
        verdict: dict[str, Any] = {"consistent": True, "unsatisfiable": [], "error": None}
        try:
            owlready2.sync_reasoner_hermit(
                world, debug=0, ignore_unsupported_datatypes=ignore_unsupported_datatypes
            )
            verdict["unsatisfiable"] = sorted(c.iri for c in world.inconsistent_classes())
        except owlready2.OwlReadyInconsistentOntologyError:
            verdict["consistent"] = False
        except owlready2.OwlReadyJavaError as exc:
            verdict.update(consistent=False, error=str(exc))
        verdict["seconds"] = round(time.monotonic() - started, 2)
        world.close()
    return verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--ignore-unsupported-datatypes", action="store_true")
    args = parser.parse_args()
    print(json.dumps(_verdict(args.paths, args.ignore_unsupported_datatypes)))


if __name__ == "__main__":
    main()
