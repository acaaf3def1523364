"""`station keys ...`: the organizer's signing keys for QR confirmations.

The private key never goes into the event package: `keys new` writes it to a
folder of the organizer's choosing, readable by the owner only, and only the
public half is added to the package that every counter receives.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from station.core.errors import StationError

_event_option = click.option(
    "--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The event package (.sqlite).",
)


@click.group("keys")
def keys() -> None:
    """Signing keys for the QR confirmations (create, add to an event, retire)."""


@keys.command("new")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the key pair; keep it off the counters and out of the event package.")
def new(out_dir: Path) -> None:
    """Create an Ed25519 key pair; prints its key id."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    from station.core.confirmation import key_id_for, new_private_seed

    key = Ed25519PrivateKey.from_private_bytes(new_private_seed())
    public = key.public_key()
    key_id = key_id_for(public.public_bytes(Encoding.Raw, PublicFormat.Raw))
    out_dir.mkdir(parents=True, exist_ok=True)
    private_path = out_dir / f"{key_id}.private.pem"
    public_path = out_dir / f"{key_id}.public.pem"
    _write_private(private_path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    public_path.write_bytes(public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    click.echo(f"key id:      {key_id}")
    click.echo(f"private key: {private_path}  (keep it secret; it signs confirmations)")
    click.echo(f"public key:  {public_path}  (add it: station keys add --event E --public {public_path})")


@keys.command("add")
@_event_option
@click.option("--public", "public_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .public.pem file `station keys new` wrote.")
def add(event_path: Path, public_path: Path) -> None:
    """Add a public key to the event package, so counters accept codes it signed."""
    from station.store.confirmations import add_public_key
    from station.store.event_package import EventPackage

    raw = load_public_key(public_path)
    package = EventPackage.open(event_path)
    try:
        key_id = add_public_key(package, raw)
    finally:
        package.close()
    click.echo(f"added key {key_id} to {event_path}")


@keys.command("list")
@_event_option
def list_(event_path: Path) -> None:
    """The event's confirmation keys and whether each is still accepted."""
    from station.store.confirmations import keys as stored_keys
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path)
    try:
        records = stored_keys(package)
    finally:
        package.close()
    if not records:
        click.echo("no keys: add one with `station keys add`")
    for record in records:
        status = f"retired {record.retired_at}" if record.retired_at else "active"
        click.echo(f"{record.key_id}  added {record.added_at}  {status}")


@keys.command("retire")
@_event_option
@click.option("--key-id", required=True, help="The key id `station keys list` shows.")
def retire(event_path: Path, key_id: str) -> None:
    """Stop accepting codes signed with a key (lost or replaced); reissue them with a new key."""
    from station.store.confirmations import retire_key
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path)
    try:
        retire_key(package, key_id)
    finally:
        package.close()
    click.echo(f"retired key {key_id}; codes it signed are refused from now on")


def _write_private(path: Path, pem: bytes) -> None:
    # O_EXCL: never overwrite a key that may already have signed confirmations.
    # 0600 applies on POSIX; on Windows the file inherits the folder's ACL.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        raise StationError(f"{path} already exists; choose another folder.") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def load_private_seed(path: Path) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        load_pem_private_key,
    )

    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise StationError(f"Private key {path} does not exist; check the path.") from None
    except (ValueError, TypeError):
        raise StationError(f"{path} is not an unencrypted private key file from `station keys new`.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise StationError(f"{path} is not an Ed25519 key; create one with `station keys new`.")
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def load_public_key(path: Path) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StationError(f"Public key {path} does not exist; check the path.") from None
    if b"PRIVATE KEY" in data:
        raise StationError(f"{path} is a PRIVATE key; add the .public.pem file instead.")
    try:
        key = load_pem_public_key(data)
    except (ValueError, TypeError):
        raise StationError(f"{path} is not a public key file from `station keys new`.") from None
    if not isinstance(key, Ed25519PublicKey):
        raise StationError(f"{path} is not an Ed25519 public key.")
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)
