"""A kernel client is ready as soon as its kernel has answered and IOPub delivers: a new client
of a running kernel (a warm kernel's next run) is ready sooner than jupyter_client's own, which
waits 0.2 s for IOPub to fall silent, and hears the output of the code it runs."""

from __future__ import annotations

import time

import pytest
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import run_sync

from impactreport.pipeline.kernel_client import ReadyClient, ReadyKernelManager


def ready_and_heard(manager: ReadyKernelManager, factory: type) -> float:
    """Seconds a new client of ``factory`` waited to be ready; it then runs code and hears it."""
    manager.client_factory = factory
    client = manager.client()
    client.start_channels()
    try:
        started = time.perf_counter()
        run_sync(client.wait_for_ready)(timeout=60)
        waited = time.perf_counter() - started
        sent = client.execute("print('ready')")
        output = ""
        while True:
            message = run_sync(client.get_iopub_msg)(timeout=10)
            if message["parent_header"].get("msg_id") != sent:
                continue
            if message["msg_type"] == "stream":
                output += message["content"]["text"]
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                break
        assert output == "ready\n"
        return waited
    finally:
        client.stop_channels()


@pytest.mark.slow
def test_a_new_client_of_a_running_kernel_is_ready_sooner_and_hears_its_output() -> None:
    manager = ReadyKernelManager(kernel_name="python3")
    assert manager.client_factory is ReadyClient
    run_sync(manager.start_kernel)()
    try:
        ready_and_heard(manager, ReadyClient)  # the kernel's start
        ours = [ready_and_heard(manager, ReadyClient) for _ in range(3)]
        theirs = [ready_and_heard(manager, AsyncKernelClient) for _ in range(3)]
    finally:
        run_sync(manager.shutdown_kernel)(now=True)
    assert min(ours) < min(theirs) / 2  # measured side by side: a ratio, not a time
