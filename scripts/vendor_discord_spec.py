#!/usr/bin/env python3
"""Copies the part of Discord's OpenAPI description that the fake Discord in
tests/common/fake_discord.rs validates against: the routes Seatmate calls and
every schema their request bodies can reach.

Run from the repository root with the full description beside it:
    python3 scripts/vendor_discord_spec.py ../shared/specs/discord-openapi.json
"""
import json
import shutil
import sys
from pathlib import Path

ROUTES = {
    "/gateway": ["get"],
    "/users/@me": ["get"],
    "/users/@me/guilds": ["get"],
    "/oauth2/applications/@me": ["get"],
    "/applications/{application_id}/commands": ["put"],
    "/applications/{application_id}/guilds/{guild_id}/commands": ["put"],
    "/channels/{channel_id}/messages": ["post"],
    "/channels/{channel_id}/messages/{message_id}": ["patch"],
    "/users/@me/channels": ["post"],
    "/interactions/{interaction_id}/{interaction_token}/callback": ["post"],
    "/webhooks/{webhook_id}/{webhook_token}": ["post"],
    "/webhooks/{webhook_id}/{webhook_token}/messages/@original": ["patch"],
}

source = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/specs/discord-openapi.json")
spec = json.loads(source.read_text())
schemas = spec["components"]["schemas"]
wanted, queue = set(), []


def visit(node):
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in wanted:
                wanted.add(name)
                queue.append(name)
        for value in node.values():
            visit(value)
    elif isinstance(node, list):
        for value in node:
            visit(value)


paths = {}
for route, methods in ROUTES.items():
    item = spec["paths"][route]
    kept = {m: {"requestBody": item[m].get("requestBody")} for m in methods}
    paths[route] = kept
    visit(kept)
while queue:
    visit(schemas[queue.pop()])

subset = {
    "source": "a subset of Discord's OpenAPI description (see discord-openapi.LICENSE), made by scripts/vendor_discord_spec.py",
    "info": spec["info"],
    "paths": paths,
    "components": {"schemas": {name: schemas[name] for name in sorted(wanted)}},
}
out = Path("tests/fixtures/discord-openapi.subset.json")
out.write_text(json.dumps(subset, indent=1, ensure_ascii=False) + "\n")
shutil.copy(source.with_name("discord-openapi.LICENSE"), "tests/fixtures/discord-openapi.LICENSE")
out.chmod(0o644)
Path("tests/fixtures/discord-openapi.LICENSE").chmod(0o644)
print(f"{out}: {len(paths)} routes, {len(wanted)} schemas")
