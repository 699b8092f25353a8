import resource
import re

import numpy as np
import psutil
import pytest

from helpers.core import memory

SHOWN = re.compile(r"memory \d+\.\d\d GB \(peak \d+\.\d\d GB\)")


def test_format_memory_in_gb_with_its_peak():
    assert memory.format_memory(memory.MemoryUse(1_120_000_000, 1_254_000_000)) == "memory 1.12 GB (peak 1.25 GB)"
    assert memory.format_memory(memory.MemoryUse(5_000_000)) == "memory 0.01 GB"
    assert memory.format_memory(memory.MemoryUse(0, 0)) == "memory 0.00 GB (peak 0.00 GB)"


@pytest.mark.parametrize(
    "use, named",
    [
        (memory.MemoryUse(-1, 2), "rss"),
        (memory.MemoryUse(1, 1.5), "peak"),
        (memory.MemoryUse("1", None), "rss"),
        (memory.MemoryUse(True), "rss"),
    ],
)
def test_format_memory_rejects_what_is_not_a_byte_count(use, named):
    with pytest.raises(ValueError, match=f"memory {named} must be a whole number of bytes >= 0; got"):
        memory.format_memory(use)


def test_maxrss_is_kibibytes_on_linux_and_bytes_on_macos():
    assert memory.maxrss_bytes(1000, "linux") == 1_024_000
    assert memory.maxrss_bytes(1000, "darwin") == 1000
    assert memory.maxrss_bytes(1000) == (1000 if memory.sys.platform == "darwin" else 1_024_000)


def test_memory_use_reads_this_process_and_follows_an_allocation():
    before = memory.memory_use()
    rss = psutil.Process().memory_info().rss
    assert 0.5 * rss < before.rss < 2 * rss
    assert before.peak >= before.rss
    assert before.peak >= memory.maxrss_bytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 0.99
    block = np.ones(200 * 10**6 // 8)  # 200 MB, every page written
    after = memory.memory_use()
    assert after.rss - before.rss > 150 * 10**6
    assert after.peak >= after.rss
    del block
    assert memory.memory_use().peak >= after.peak  # the peak stays when the memory is given back


def test_memory_text_is_what_the_panels_show():
    assert SHOWN.fullmatch(memory.memory_text())
