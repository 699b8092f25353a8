"""A class opening the classroom app at once: time to a usable panel, and the server's memory.

Starts the app as ``make app POOL=...`` starts it (the command is read from ``make -n app``),
then opens one headless Chromium session per student, spread over ``--spread`` seconds. A
session counts as usable when both panels are on the page with the playground's map drawn, and
as answering when its Step button redraws the map (the visitor's own kernel computed a step).
Meanwhile the summed RSS of Voilà and its kernels, the system's available memory and the load
average are sampled every two seconds. The browsers run on the same machine as the server, so
they take CPU a real class's laptops would not: the times are an upper bound for that reason.

    python -m benchmarks.voila_class --students 20 --pools 0,2     # two classes of 20: long
    python -m benchmarks.voila_class --students 4 --pools 2 --spread 10

Results go to build/bench/voila_class.json (each run keyed by its pool, class size and spread).
"""

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The browser tests' machinery: Chromium's finder and flags, the app as `make app` serves it.
sys.path.insert(0, str(ROOT / "tests"))
from browser_lab import CHROMIUM_FLAGS, HOW_TO_ENABLE, find_chromium  # noqa: E402
from voila_app import JS_KERNEL_ID, JS_LOADING_TEXT, JS_MAP, AppServer  # noqa: E402

RESULT_PATH = ROOT / "build" / "bench" / "voila_class.json"
SESSION_TIMEOUT = 600  # seconds a student waits for a usable panel before it counts as a failure
ANSWER_TIMEOUT = 120  # seconds from Step to the redrawn map
SAMPLE_EVERY = 2.0  # seconds between memory samples


def wait_kernels_idle(server, count, timeout=900, quiet_cpu_s=0.3, window_s=3.0):
    """Wait until ``count`` kernels run under ``server`` and none used more than ``quiet_cpu_s`` of CPU
    in the last ``window_s`` s: the preheated kernels have run the app notebook and wait for visitors.
    """
    import psutil

    def kernels():
        found = []
        for child in psutil.Process(server.process.pid).children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                pass
        return found

    def cpu(process):
        try:
            times = process.cpu_times()
            return times.user + times.system
        except psutil.Error:
            return 0.0

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = kernels()
        before = {process.pid: cpu(process) for process in found}
        time.sleep(window_s)
        if len(found) >= count and all(cpu(process) - before[process.pid] < quiet_cpu_s for process in found):
            return
    raise TimeoutError(f"timed out after {timeout} s waiting for {count} idle preheated kernel(s)")


class Sampler(threading.Thread):
    """Every ``SAMPLE_EVERY`` s: RSS of Voilà and of each kernel, available memory, load average."""

    def __init__(self, pid, start):
        super().__init__(daemon=True)
        self.pid, self.start_time, self.samples = pid, start, []
        self._stop_event = threading.Event()

    def sample(self):
        import psutil

        server = psutil.Process(self.pid)
        kernels, others = [], 0
        for child in server.children(recursive=True):
            try:
                rss = child.memory_info().rss
                is_kernel = "ipykernel_launcher" in " ".join(child.cmdline())
            except psutil.Error:
                continue
            if is_kernel:
                kernels.append(rss)
            else:
                others += rss
        total = server.memory_info().rss + others + sum(kernels)
        return {
            "t_s": round(time.monotonic() - self.start_time, 1),
            "total_rss_mb": round(total / 2**20),
            "kernel_rss_mb": sorted(round(rss / 2**20) for rss in kernels),
            "available_mb": round(psutil.virtual_memory().available / 2**20),
            "load_average": [round(value, 2) for value in os.getloadavg()],
        }

    def run(self):
        while not self._stop_event.is_set():
            try:
                self.samples.append(self.sample())
            except Exception as error:  # the server ended under us: the run is over
                self.samples.append({"t_s": round(time.monotonic() - self.start_time, 1), "error": str(error)})
                return
            self._stop_event.wait(SAMPLE_EVERY)

    def stop(self):
        self._stop_event.set()
        self.join()


# A panel is the root widget of a helpers panel (CSS class nnf-panel); the playground's map is
# its nnf-plot. Usable: both panels shown, the map drawn, a slider and a Step button present.
JS_USABLE = """() => {
    const text = document.body ? document.body.innerText : '';
    if (/There was an error when executing cell|Traceback \\(most recent call last\\)/.test(text)) return 'error';
    const panels = document.querySelectorAll('.nnf-panel');
    if (panels.length < 2) return false;
    const map = panels[0].querySelector('.nnf-plot img');
    const step = [...panels[0].querySelectorAll('button')].some(b => b.textContent.trim() === 'Step');
    return Boolean(map && map.src && step && document.querySelector('.widget-slider'));
}"""


async def student(browser, url, delay, began, results):
    """One visitor: opens the app after ``delay`` s, waits for a usable panel, presses Step."""
    await asyncio.sleep(delay)
    record = {"opened_at_s": round(time.monotonic() - began, 1)}
    results.append(record)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.fulfill(status=200, body=""))
    page = await context.new_page()
    opened = time.monotonic()
    try:
        await page.goto(url, wait_until="commit", timeout=SESSION_TIMEOUT * 1000)
        await page.wait_for_function(
            f"() => ({JS_LOADING_TEXT})() !== null || ({JS_USABLE})()", polling=100, timeout=SESSION_TIMEOUT * 1000
        )
        record["message_s"] = round(time.monotonic() - opened, 2)
        record["loading_text"] = await page.evaluate(JS_LOADING_TEXT)
        state = await (
            await page.wait_for_function(JS_USABLE, polling=250, timeout=SESSION_TIMEOUT * 1000)
        ).json_value()
        if state == "error":
            raise RuntimeError("the app shows an error in place of its panels")
        record["usable_s"] = round(time.monotonic() - opened, 2)
        record["kernel_id"] = await page.evaluate(JS_KERNEL_ID)
        before = await page.evaluate(JS_MAP)
        pressed = time.monotonic()
        await page.locator(".nnf-panel").first.get_by_role("button", name="Step").click()
        await page.wait_for_function(
            f"(before) => ({JS_MAP})() !== before", arg=before, polling=100, timeout=ANSWER_TIMEOUT * 1000
        )
        record["step_answered_s"] = round(time.monotonic() - pressed, 2)
    except Exception as error:
        record["failure"] = f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
    return context


async def run_class(chromium, url, students, spread, began):
    """Open ``students`` sessions, one every ``spread / students`` s; keep them open until all are done."""
    from playwright.async_api import async_playwright

    results = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        contexts = await asyncio.gather(
            *(student(browser, url, i * spread / students, began, results) for i in range(students))
        )
        kernels = {record.get("kernel_id") for record in results if record.get("kernel_id")}
        for context in contexts:
            await context.close()
        await browser.close()
    return sorted(results, key=lambda record: record["opened_at_s"]), len(kernels)


def measure(pool, students, spread, chromium, log=print):
    """One class against a fresh app with ``pool`` preheated kernels; the figures of the run."""
    server = AppServer(
        pool, ROOT / "build" / "bench" / f"voila_class-pool{pool}.log", environment={"TF_CPP_MIN_LOG_LEVEL": "2"}
    )
    began = time.monotonic()
    sampler = Sampler(server.process.pid, began)
    sampler.start()
    try:
        server.wait_pool_filled()
        wait_kernels_idle(server, pool)
        pool_filled_s = time.monotonic() - began  # the pool's kernels have run the notebook
        idle = sampler.sample()
        log(
            f"  pool {pool}: ready after {pool_filled_s:.0f} s; idle kernels {idle['kernel_rss_mb']} MB, "
            f"total {idle['total_rss_mb']} MB, load {idle['load_average']}"
        )
        class_began = time.monotonic()
        sessions, distinct_kernels = asyncio.run(run_class(chromium, server.url, students, spread, class_began))
        class_s = time.monotonic() - class_began
    finally:
        sampler.stop()
        server.stop()
    return summarize(pool, students, spread, pool_filled_s, idle, sessions, distinct_kernels, class_s, sampler.samples)


def summarize(pool, students, spread, pool_filled_s, idle, sessions, distinct_kernels, class_s, samples):
    """The figures of one class run, with its sessions and memory samples."""
    usable = [record["usable_s"] for record in sessions if "usable_s" in record]
    answered = [record["step_answered_s"] for record in sessions if "step_answered_s" in record]
    measured = [sample for sample in samples if "total_rss_mb" in sample]
    return {
        "pool": pool,
        "students": students,
        "spread_s": spread,
        "ready_after_s": round(pool_filled_s, 1),
        "idle_before_class": idle,
        "usable": len(usable),
        "failures": [record["failure"] for record in sessions if "failure" in record],
        "distinct_kernels": distinct_kernels,
        "usable_s": {"median": round(statistics.median(usable), 1), "max": max(usable), "min": min(usable)}
        if usable
        else None,
        "step_answered_s": {"median": round(statistics.median(answered), 2), "max": max(answered)}
        if answered
        else None,
        "class_s": round(class_s, 1),
        "peak_total_rss_mb": max((sample["total_rss_mb"] for sample in measured), default=None),
        "least_available_mb": min((sample["available_mb"] for sample in measured), default=None),
        "most_kernels": max((len(sample["kernel_rss_mb"]) for sample in measured), default=0),
        "highest_load_1min": max((sample["load_average"][0] for sample in measured), default=None),
        "sessions": sessions,
        "samples": samples,
    }


def parse_pools(text):
    try:
        pools = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        pools = []
    if not pools or min(pools) < 0:
        raise argparse.ArgumentTypeError(f"--pools {text!r}: give comma-separated whole numbers >= 0, e.g. 0,2")
    return pools


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.voila_class", description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=20, help="browser sessions per run (default 20)")
    parser.add_argument(
        "--pools", type=parse_pools, default=[0, 2], help="POOL values to compare, one run each (default 0,2)"
    )
    parser.add_argument(
        "--spread", type=float, default=60.0, help="seconds over which the students arrive (default 60)"
    )
    parser.add_argument("--output", type=Path, default=RESULT_PATH)
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error(f"--students {args.students}: at least 1")
    chromium = find_chromium()
    if chromium is None:
        parser.error(HOW_TO_ENABLE)
    from benchmarks import report

    results = json.loads(args.output.read_text()) if args.output.exists() else {"runs": {}}
    for pool in args.pools:
        print(f"{args.students} students over {args.spread:.0f} s, POOL={pool} ...", flush=True)
        figures = measure(pool, args.students, args.spread, chromium)
        figures["context"] = report.context()
        results["runs"][f"pool{pool}-students{args.students}-spread{args.spread:g}s"] = figures
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=1) + "\n")
        print(
            f"  usable {figures['usable']}/{args.students} (kernels {figures['distinct_kernels']}), "
            f"time to usable panel {figures['usable_s']}, Step {figures['step_answered_s']}, "
            f"peak RSS {figures['peak_total_rss_mb']} MB, least available {figures['least_available_mb']} MB, "
            f"highest load {figures['highest_load_1min']}; failures {figures['failures'][:3]}",
            flush=True,
        )
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
