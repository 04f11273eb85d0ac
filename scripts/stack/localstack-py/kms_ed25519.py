"""Ed25519 signing keys (KeySpec ECC_NIST_EDWARDS25519) for LocalStack 4.13.1's KMS.

AWS KMS has had Ed25519 keys since 2025-11-07. LocalStack 4.13.1 knows the enum values but refuses
CreateKey with the legacy key-spec list (localstack/localstack#13886, still open when this was written),
and its Sign/Verify only know ECDSA and RSA. sitecustomize.py applies ``patch(models)`` right after
``localstack.services.kms.models`` is imported. Behaviour imitated (AWS KMS API reference, Sign and
SigningAlgorithmSpec; GetPublicKey; observed AWS responses quoted in floci-io/floci#2924):

- CreateKey (AWS_KMS or EXTERNAL origin, ``_custom_key_material_`` tag as PKCS#8 DER) and
  ImportKeyMaterial (PKCS#8 DER) make an Ed25519 key; GetPublicKey returns the 44-byte
  SubjectPublicKeyInfo with OID 1.3.101.112 and SigningAlgorithms [ED25519_SHA_512, ED25519_PH_SHA_512].
- Sign/Verify with ED25519_SHA_512 need MessageType RAW and sign the message itself (pure Ed25519,
  RFC 8032); the message is at most 4,096 bytes.
- ED25519_PH_SHA_512 (Ed25519ph) needs DIGEST on AWS. ``cryptography`` has no Ed25519ph, so the emulator
  refuses it (UnsupportedOperationException) rather than return a signature AWS would not produce; with
  RAW it is a ValidationException, as on AWS.
- A signing algorithm the key does not list (ECDSA on an Ed25519 key, Ed25519 on a secp256k1 key) is an
  InvalidKeyUsageException, as on AWS.

Only Ed25519 keys and ED25519_* algorithms take the new paths; every other key behaves as before.

When to drop it: no LocalStack release implements Ed25519 KMS keys yet — the KMS models of 4.14.0 and
2026.3.0 (the newest localstack-core on PyPI in December 2026) have no ECC_NIST_EDWARDS25519 curve or
signing path. Remove this file once a release closes localstack#13886 and its
``services/kms/models.py`` signs with ED25519_SHA_512; test/integration/kms-ed25519-emulation.test.ts
must then pass without it.
"""

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

KEY_SPEC = "ECC_NIST_EDWARDS25519"
PURE = "ED25519_SHA_512"
PREHASHED = "ED25519_PH_SHA_512"
SIGNING_ALGORITHMS = [PURE, PREHASHED]
MAX_MESSAGE_BYTES = 4096


def patch(models):
    from localstack.aws.api.kms import (
        InvalidKeyUsageException,
        KMSInvalidSignatureException,
        UnsupportedOperationException,
    )

    ValidationException = models.ValidationException
    crypto_key_class = models.KmsCryptoKey
    key_class = models.KmsKey
    load_der_private_key = models.crypto_serialization.load_der_private_key

    def load_ed25519(material):
        key = load_der_private_key(material, password=None)
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise ValidationException("Key material is not an Ed25519 private key in PKCS#8 DER")
        return key

    original_assert_valid = crypto_key_class.assert_valid

    def assert_valid(key_spec):
        if key_spec != KEY_SPEC:
            original_assert_valid(key_spec)

    original_init = crypto_key_class.__init__

    def init(self, key_spec, key_material=None):
        if key_spec != KEY_SPEC:
            original_init(self, key_spec, key_material)
            return
        # Same fields as the original constructor; key_material doubles as the LocalStack-internal
        # symmetric key, which is why it is random bytes when no custom material is given.
        self.private_key = None
        self.public_key = None
        self.pending_key_material = None
        self.key_spec = key_spec
        self.key_material = key_material or models.os.urandom(models.SYMMETRIC_DEFAULT_MATERIAL_LENGTH)
        key = load_ed25519(key_material) if key_material else ed25519.Ed25519PrivateKey.generate()
        self._serialize_key(key)

    original_load = crypto_key_class.load_key_material

    def load_key_material(self, material):
        if self.key_spec != KEY_SPEC:
            original_load(self, material)
            return
        self._serialize_key(load_ed25519(material))

    original_populate = key_class._populate_signing_algorithms

    def populate_signing_algorithms(self, key_usage, key_spec):
        if key_spec == KEY_SPEC and key_usage == "SIGN_VERIFY":
            self.metadata["SigningAlgorithms"] = list(SIGNING_ALGORITHMS)
        else:
            original_populate(self, key_usage, key_spec)

    def ed25519_message(self, data, message_type, signing_algorithm):
        """Checks an Ed25519 request the way AWS does; returns the message to sign or verify."""
        if signing_algorithm not in (self.metadata.get("SigningAlgorithms") or []):
            raise InvalidKeyUsageException(
                f"Signing algorithm {signing_algorithm} is not supported by key {self.metadata['Arn']} "
                f"({self.metadata.get('KeySpec')})"
            )
        message_type = message_type or "RAW"
        if signing_algorithm == PURE and message_type != "RAW":
            raise ValidationException(
                f"Message type {message_type} is incompatible with signing algorithm {PURE}"
            )
        if signing_algorithm == PREHASHED:
            if message_type != "DIGEST":
                raise ValidationException(
                    f"Message type {message_type} is incompatible with signing algorithm {PREHASHED}"
                )
            raise UnsupportedOperationException(
                f"{PREHASHED} (Ed25519ph) is not emulated by this LocalStack shim"
            )
        if len(data) > MAX_MESSAGE_BYTES:
            raise ValidationException(
                "1 validation error detected: Value at 'message' failed to satisfy constraint: "
                f"Member must have length less than or equal to {MAX_MESSAGE_BYTES}"
            )
        return data

    def takes_ed25519_path(self, signing_algorithm):
        return self.metadata.get("KeySpec") == KEY_SPEC or str(signing_algorithm or "").startswith("ED25519")

    original_sign = key_class.sign

    def sign(self, data, message_type, signing_algorithm):
        if not takes_ed25519_path(self, signing_algorithm):
            return original_sign(self, data, message_type, signing_algorithm)
        message = ed25519_message(self, data, message_type, signing_algorithm)
        return self.crypto_key.key.sign(message)

    original_verify = key_class.verify

    def verify(self, data, message_type, signing_algorithm, signature):
        if not takes_ed25519_path(self, signing_algorithm):
            return original_verify(self, data, message_type, signing_algorithm, signature)
        message = ed25519_message(self, data, message_type, signing_algorithm)
        try:
            self.crypto_key.key.public_key().verify(signature, message)
        except InvalidSignature:
            raise KMSInvalidSignatureException()
        return True

    crypto_key_class.assert_valid = staticmethod(assert_valid)
    crypto_key_class.__init__ = init
    crypto_key_class.load_key_material = load_key_material
    key_class._populate_signing_algorithms = populate_signing_algorithms
    key_class.sign = sign
    key_class.verify = verify
