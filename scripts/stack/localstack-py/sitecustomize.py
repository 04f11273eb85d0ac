"""Compatibility shims loaded into the LocalStack Python process (PYTHONPATH) by scripts/stack/localstack.ts.

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


# Ed25519 keys (kms_ed25519.py): patched into LocalStack's KMS models right after they are imported, so
# that nothing of LocalStack is imported early by this shim.
import importlib.machinery


class _PatchAfterImport:
    def __init__(self, module_name, patch):
        self.module_name = module_name
        self.patch = patch

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.module_name:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module
        patch = self.patch

        def exec_and_patch(module):
            exec_module(module)
            patch(module)

        spec.loader.exec_module = exec_and_patch
        return spec


def _patch_kms_models(models):
    import kms_ed25519

    kms_ed25519.patch(models)


sys.meta_path.insert(0, _PatchAfterImport("localstack.services.kms.models", _patch_kms_models))
