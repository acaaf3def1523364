"""TLS between stations and the hub, set up so that an installer cannot get it wrong.

The hub makes its own certificate (`station hub serve --tls`) or uses the
organizer's. Its SHA-256 fingerprint travels in every provisioning code, and
stations pin it: a station accepts exactly that certificate, whatever the
name or address it is reached by. Organizers with their own CA give each
station the CA file instead (setting `hub_ca_file`); then the usual checks
(chain and host name) apply. A certificate that fails either check raises
CertificateUntrusted, never "offline".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
import ssl
from pathlib import Path
from typing import Any

from station.core.errors import StationError
from station.core.texts import Text

TLS_FOLDER = "tls"
CERT_FILE = "hub-cert.pem"
KEY_FILE = "hub-key.pem"


def fingerprint_of_der(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


_NOT_PEM = Text("{path} は PEM 形式の証明書ではありません。ハブの証明書ファイルを指定してください。",
                "{path} is not a PEM certificate ({detail}); give the hub's certificate file.")
_NO_CA_FILE = Text(
    "CA ファイル {path}（設定 {setting}）がありません。"
    "主催者の CA 証明書をそこにコピーするか、設定を空にしてください。",
    "The CA file {path} (setting {setting}) does not exist; copy the organizer's CA "
    "certificate there or clear the setting.")
_CA_NOT_PEM = Text("CA ファイル {path} は PEM 形式の証明書ではありません。主催者の CA 証明書を指定してください。",
                   "The CA file {path} is not a PEM certificate ({detail}).")


def certificate_fingerprint(pem_path: Path) -> str:
    """SHA-256 of the certificate (the first one in a PEM chain), 64 hex digits."""
    try:
        text = Path(pem_path).read_text(encoding="ascii")
        first = text[text.index("-----BEGIN CERTIFICATE-----"):text.index("-----END CERTIFICATE-----") + 25]
        return fingerprint_of_der(ssl.PEM_cert_to_DER_cert(first))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise StationError(_NOT_PEM(path=str(pem_path), detail=str(exc)), detail=str(exc)) from None


def pretty(fingerprint: str) -> str:
    """AB:CD:... the way browsers and `openssl x509 -fingerprint` show it."""
    return ":".join(fingerprint[i:i + 2] for i in range(0, len(fingerprint), 2)).upper()


class PinnedContext(ssl.SSLContext):
    """Accepts exactly the certificate with the pinned SHA-256 fingerprint.

    Chain and host name are not checked (a self-signed hub reached by its LAN
    address has neither); the pin is stronger than both. httpx (httpcore) calls
    wrap_socket for every new connection, so every connection is checked."""

    pinned: str

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        sock = super().wrap_socket(*args, **kwargs)
        der = sock.getpeercert(binary_form=True)
        if der is None or fingerprint_of_der(der) != self.pinned:
            got = fingerprint_of_der(der) if der else "none"
            sock.close()
            raise ssl.SSLCertVerificationError(
                f"certificate fingerprint {pretty(got)[:23]}… is not the pinned {pretty(self.pinned)[:23]}…"
            )
        return sock


def client_context(fingerprint: str = "", ca_file: str = "") -> ssl.SSLContext:
    """How a station checks an https hub: the CA file if the organizer gave one,
    else the pinned fingerprint from the code, else the system's trust store."""
    if ca_file:
        path = Path(ca_file)
        if not path.is_file():
            raise CertificateSetupError(_NO_CA_FILE(path=ca_file, setting="hub_ca_file"))
        try:
            return ssl.create_default_context(cafile=str(path))
        except ssl.SSLError as exc:
            raise CertificateSetupError(_CA_NOT_PEM(path=ca_file, detail=str(exc)), detail=str(exc)) from None
    if fingerprint:
        context = PinnedContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.pinned = fingerprint.replace(":", "").lower()
        return context
    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - httpx brings certifi
        return ssl.create_default_context()


class CertificateSetupError(StationError):
    """The station's own TLS settings are wrong (a missing CA file)."""


def is_certificate_failure(exc: BaseException) -> bool:
    """Whether a connection failed because the hub's certificate was not trusted."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current) or "is not the pinned" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def is_handshake_failure(exc: BaseException) -> bool:
    """Whether a connection failed in the TLS handshake for another reason than trust
    (e.g. https spoken to a plain-http server: "wrong version number")."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError) or "WRONG_VERSION_NUMBER" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


# -- the hub's side --------------------------------------------------------------------


def lan_address() -> str:
    """The address other laptops on the hall network reach this one by: the
    address of the interface the default route leaves through (no packet is
    sent). Falls back to the host name when there is no network at all."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed, never answered
            address = str(probe.getsockname()[0])
        except OSError:
            address = ""
    if address and not address.startswith("127.") and address != "0.0.0.0":
        return address
    return socket.gethostname()


def make_self_signed(folder: Path, names: list[str]) -> tuple[Path, Path]:
    """A certificate and key for the hub, valid 3 years, for these host names and
    addresses. Stations pin its fingerprint, so no CA is involved."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bib Station hub")])
    alt: list[x509.GeneralName] = []
    for name in dict.fromkeys(names):
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(name))
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    key_path.touch(mode=0o600)
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def hub_certificate(data: Path) -> Path | None:
    """The hub's own certificate when `hub serve --tls` made one."""
    path = data / TLS_FOLDER / CERT_FILE
    return path if path.is_file() else None
