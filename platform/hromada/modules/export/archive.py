"""The archive: a README in the coordinator's language, `datapackage.json`, and one CSV per table.

The ZIP is made while it is sent (zipstream-ng): each CSV file is read from the database as the
browser receives it, so no copy of the community's data is ever written to a disk of the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

from flask import render_template
from zipstream import ZIP_DEFLATED, ZipStream

from hromada.clock import now
from hromada.contributions import ExportScope, ExportTable
from hromada.modules.export.tables import columns_of, csv_bytes, primary_key_names

DATA_FOLDER = "data"


@dataclass(frozen=True)
class Contents:
    """What goes into the archive of one community, decided before the first byte is sent."""

    scope: ExportScope
    community_name: str
    exported: list[ExportTable]
    omitted: list[ExportTable]


def contents(tables: list[ExportTable], scope: ExportScope, community_name: str) -> Contents:
    exported = sorted((table for table in tables if table.omitted_because is None), key=lambda table: table.name)
    omitted = sorted((table for table in tables if table.omitted_because is not None), key=lambda table: table.name)
    return Contents(scope, community_name, exported, omitted)


def file_of(table: ExportTable) -> str:
    return f"{DATA_FOLDER}/{table.name}.csv"


def descriptor(archive: Contents, created) -> dict:
    """The Frictionless Data Package descriptor (https://specs.frictionlessdata.io/data-package/)."""
    resources = []
    for table in archive.exported:
        columns = columns_of(table, archive.scope)
        schema = {"fields": [{"name": column.name, "type": column.type,
                              **({"description": column.description} if column.description else {})}
                             for column in columns]}
        primary_key = primary_key_names(table, columns)
        if primary_key:
            schema["primaryKey"] = primary_key
        resources.append({
            "name": table.name, "path": file_of(table), "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
        })
    return {
        "profile": "tabular-data-package",
        "name": f"hromada-community-{archive.scope.community_id}",
        "title": archive.community_name,
        "created": created.isoformat(timespec="seconds"),
        "resources": resources,
    }


def zip_stream(archive: Contents) -> Iterator[bytes]:
    created = now()
    readme = render_template("export/README.txt", archive=archive, created=created, file_of=file_of)
    stream = ZipStream(compress_type=ZIP_DEFLATED)
    stream.add(readme.encode("utf-8"), "README.txt")
    stream.add(json.dumps(descriptor(archive, created), ensure_ascii=False, indent=2).encode("utf-8"),
               "datapackage.json")
    for table in archive.exported:
        # A generator: its rows are read only when the archive reaches this file.
        stream.add(csv_bytes(table, archive.scope), file_of(table))
    return iter(stream)
