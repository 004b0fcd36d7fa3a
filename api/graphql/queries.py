"""Root query fields."""

from __future__ import annotations

from importlib.metadata import version as package_version

import strawberry


@strawberry.type(description="Read access to the Metaverse Standards Knowledge Graph.")
class Query:
    @strawberry.field(description="Version of the MSKG service answering this request.")
    def version(self) -> str:
        return package_version("mskg")
