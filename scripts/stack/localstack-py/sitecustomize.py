"""Compatibility shim loaded into the LocalStack Python process (PYTHONPATH) by scripts/stack/localstack.ts.

LocalStack 4.13.1 calls ``uuid.uuid5(namespace, <bytes>)`` to derive KMS key-material IDs
(services/kms/models.py ``generate_key_material_id``). Python < 3.12 only accepts ``str`` there and
raises ``TypeError: encoding without a string argument``, so CreateKey with the
``_custom_key_material_`` tag, ImportKeyMaterial and RotateKeyOnDemand all fail with HTTP 500.
Python 3.12 accepts bytes (same SHA-1 construction), so this backports exactly that behaviour.
"""

import hashlib
import sys
import uuid

if sys.version_info < (3, 12):
    _uuid5_str_only = uuid.uuid5

    def _uuid5(namespace, name):
        if isinstance(name, (bytes, bytearray, memoryview)):
            digest = hashlib.sha1(namespace.bytes + bytes(name), usedforsecurity=False).digest()
            return uuid.UUID(bytes=digest[:16], version=5)
        return _uuid5_str_only(namespace, name)

    uuid.uuid5 = _uuid5
