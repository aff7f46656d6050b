"""The built-in issuer's signing key (EC P-256) and its JWKS."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from projects_api.settings import Settings

logger = logging.getLogger(__name__)

DEV_MARKER = "# DEVELOPMENT KEY: generated locally, never valid in production\n"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: ec.EllipticCurvePrivateKey
    public_jwk: dict[str, str]

    @property
    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk]}


def _public_jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    jwk = {
        "crv": "P-256",
        "kty": "EC",
        "x": _b64(numbers.x.to_bytes(32, "big")),
        "y": _b64(numbers.y.to_bytes(32, "big")),
    }
    # RFC 7638 thumbprint: a key id that changes exactly when the key does.
    thumbprint = _b64(hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest())
    return {**jwk, "kid": thumbprint, "use": "sig", "alg": "ES256"}


def _dev_key_pem(settings: Settings) -> str:
    path = settings.dev_key_path
    if path.exists():
        return path.read_text()
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(DEV_MARKER + pem)
    logger.warning("generated a development signing key", extra={"path": str(path)})
    return DEV_MARKER + pem


def load_signing_key(settings: Settings) -> SigningKey:
    if settings.jwt_private_key is not None:
        pem = settings.jwt_private_key.get_secret_value()
    else:
        pem = _dev_key_pem(settings)  # settings refuse production without a key, so this is dev or test
    body = pem[pem.index("-----BEGIN") :].encode()
    key = serialization.load_pem_private_key(body, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("PROJECTS_JWT_PRIVATE_KEY must be an EC P-256 private key in PEM")
    jwk = _public_jwk(key)
    return SigningKey(kid=jwk["kid"], private_key=key, public_jwk=jwk)
