"""Passkeys (WebAuthn, with py_webauthn) as a second factor: registering one, and proving one.

The relying party id and origin are settings (HROMADA_WEBAUTHN_RP_ID, HROMADA_WEBAUTHN_ORIGIN): a
passkey is bound to a domain name, never to an IP address. Each ceremony's challenge is kept in the
session and used once. Only the credential's id, public key and signature counter are stored.
"""

from __future__ import annotations

import json

from flask import current_app, session
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse, WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from hromada.clock import now
from hromada.modules.factors.models import SecondFactor
from hromada.modules.factors.queries import passkeys_of

RP_NAME = "Hromada"
CHALLENGE = "factors.passkey_challenge"


class PasskeyRefused(Exception):
    """The browser's answer does not prove what it must (wrong challenge, origin, key or counter)."""


def enabled() -> bool:
    return bool(current_app.config.get("HROMADA_WEBAUTHN_RP_ID"))


def _rp_id() -> str:
    return current_app.config["HROMADA_WEBAUTHN_RP_ID"]


def _origin() -> str:
    return current_app.config["HROMADA_WEBAUTHN_ORIGIN"]


def _take_challenge(kind: str) -> bytes:
    value = session.pop(CHALLENGE, None)
    if not isinstance(value, dict) or value.get("kind") != kind or not isinstance(value.get("challenge"), str):
        raise PasskeyRefused()
    return base64url_to_bytes(value["challenge"])


def registration_options(user) -> dict:
    existing = passkeys_of(user.id)
    options = generate_registration_options(
        rp_id=_rp_id(), rp_name=RP_NAME, user_id=str(user.id).encode("ascii"), user_name=user.handle,
        user_display_name=user.name,
        exclude_credentials=[PublicKeyCredentialDescriptor(id=bytes(factor.credential_id)) for factor in existing],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED, user_verification=UserVerificationRequirement.PREFERRED),
    )
    session[CHALLENGE] = {"kind": "register", "challenge": bytes_to_base64url(options.challenge)}
    return json.loads(options_to_json(options))


def verify_registration(credential: dict) -> tuple[bytes, bytes, int]:
    """(credential id, public key, signature counter) of a new passkey, or `PasskeyRefused`."""
    challenge = _take_challenge("register")
    if not isinstance(credential, dict):
        raise PasskeyRefused()
    try:
        verified = verify_registration_response(credential=credential, expected_challenge=challenge,
                                                expected_rp_id=_rp_id(), expected_origin=_origin())
    except (InvalidRegistrationResponse, WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise PasskeyRefused() from None
    return verified.credential_id, verified.credential_public_key, verified.sign_count


def authentication_options(user_id: int) -> dict | None:
    """Options to prove one of the person's passkeys; None when they have none."""
    passkeys = passkeys_of(user_id)
    if not passkeys:
        return None
    options = generate_authentication_options(
        rp_id=_rp_id(), allow_credentials=[PublicKeyCredentialDescriptor(id=bytes(factor.credential_id))
                                           for factor in passkeys],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    session[CHALLENGE] = {"kind": "authenticate", "challenge": bytes_to_base64url(options.challenge)}
    return json.loads(options_to_json(options))


def verify_authentication(user_id: int, credential: dict) -> SecondFactor:
    """The person's passkey that signed this challenge (its counter moved on), or `PasskeyRefused`."""
    challenge = _take_challenge("authenticate")
    if not isinstance(credential, dict):
        raise PasskeyRefused()
    try:
        raw_id = base64url_to_bytes(credential["rawId"])
    except (KeyError, TypeError, ValueError):
        raise PasskeyRefused() from None
    factor = next((factor for factor in passkeys_of(user_id) if bytes(factor.credential_id) == raw_id), None)
    if factor is None:
        raise PasskeyRefused()
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=_rp_id(), expected_origin=_origin(),
            credential_public_key=bytes(factor.public_key), credential_current_sign_count=factor.sign_count)
    except (InvalidAuthenticationResponse, WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise PasskeyRefused() from None
    factor.sign_count = verified.new_sign_count
    factor.last_used_at = now()
    return factor
