"""Import of published standards catalogues in the Relaton YAML format (ISO, IEC, ITU, IEEE).

One module per concern: `archive` reads members from archives, folders and files (streaming);
`record` reads both schema generations of a record into one shape; `designations` works out
works, series, supplements and committees from designations as published; `mapping` turns a
record into graph rows; `relevance` links items to the metaverse concepts by reviewable rules;
`run` drives an import batch by batch.
"""
