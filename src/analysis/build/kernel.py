"""The project kernel's transport: encrypted (CurveZMQ) for every client, not only the build's.

Why a papermill run by hand printed "Kernel is running over TCP without encryption": ipykernel
(7.3+) warns at start-up when its connection file carries no CurveZMQ key; jupyter_client's
``KernelManager.transport_encryption`` defaults to ``"disabled"``, so a client that does not
configure it (papermill, nbclient, JupyterLab's defaults) starts the kernel without keys, though
the kernel spec declares ``supported_encryption: ["curve"]``. The build set ``"auto"`` in its
own configuration (:func:`analysis.build.run`), which hid the warning there only.

The fix belongs to the kernel spec: the project kernel names the provisioner
:class:`CurveProvisioner` (registered as ``analysis-curve`` in ``pyproject.toml``'s entry points
``jupyter_client.kernel_provisioners``), the standard local provisioner that asks for
``"auto"`` when the client did not choose: keys are provisioned where pyzmq has CURVE and the
spec supports it, so every client that starts the kernel talks to it encrypted.
``python -m analysis.build.kernel`` (run by ``make install`` after ``ipykernel install``) names
the provisioner in the installed kernel spec.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from ..config import KERNEL

__all__ = ["PROVISIONER", "CurveProvisioner", "with_provisioner", "install"]

#: The name the provisioner is registered under (``pyproject.toml``, entry points).
PROVISIONER = "analysis-curve"


class CurveProvisioner(LocalProvisioner):
    """The local provisioner, with transport encryption ``"auto"`` unless the client chose one."""

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """Prepare the launch as :class:`LocalProvisioner` does, encrypted where possible."""
        import zmq

        km = self.parent
        chosen = getattr(km, "transport_encryption", "disabled") if km is not None else "disabled"
        if "transport_encryption" not in kwargs and chosen == "disabled" and zmq.has("curve"):
            kwargs["transport_encryption"] = "auto"
        return await super().pre_launch(**kwargs)


def with_provisioner(spec: dict) -> dict:
    """A kernel spec (``kernel.json`` as a dict) naming :data:`PROVISIONER`, curve declared."""
    out = json.loads(json.dumps(spec))
    metadata = out.setdefault("metadata", {})
    metadata["kernel_provisioner"] = {"provisioner_name": PROVISIONER, "config": {}}
    supported = set(metadata.get("supported_encryption") or [])
    metadata["supported_encryption"] = sorted(supported | {"curve"})
    return out


def install(name: str = KERNEL) -> Path:
    """Name the provisioner in the installed kernel spec ``name``; returns its ``kernel.json``."""
    from jupyter_client.kernelspec import KernelSpecManager

    path = Path(KernelSpecManager().get_kernel_spec(name).resource_dir) / "kernel.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(with_provisioner(spec), indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"kernel spec {install(*sys.argv[1:2])}: provisioner {PROVISIONER}")
