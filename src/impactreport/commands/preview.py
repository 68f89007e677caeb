"""``preview``: the HTML edition served on the loopback address, rebuilt on every edit.

The project's own incremental build runs on each change the watcher sees (``watchfiles``); the
open page learns of it through server-sent events and reloads itself. A build that fails keeps
the last good page on screen, with the one-line error above it; the next good build brings the
page back. The small script that listens is added to the page as it is served, never to the
published file.
"""

from __future__ import annotations

import html
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from impactreport import config
from impactreport.errors import ImpactReportError
from impactreport.paths import Project
from impactreport.pipeline import build as build_step

HOST = "127.0.0.1"  # never any other interface
KEEPALIVE = 10  # seconds between comments on an idle event stream
IGNORED_PARTS = ("__pycache__", ".ipynb_checkpoints")

LISTENER = """<div id="preview-error" role="alert" style="position:sticky;top:0;z-index:10;
margin:0;padding:0.75rem 1rem;background:#7a1f17;color:#fff;font:1rem/1.4 sans-serif"{hidden}>{error}</div>
<script>
(() => {{
  const box = document.getElementById("preview-error");
  const events = new EventSource("/events?v={version}");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("failed", (event) => {{
    box.textContent = event.data;
    box.hidden = false;
  }});
}})();
</script>
"""

Say = Callable[[str], None]


@dataclass
class State:
    """The last good page, the last error, and a version that moves on with every build."""

    page: str = ""
    error: str | None = None
    version: int = 0
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, *, page: str | None = None, error: str | None = None) -> None:
        with self.changed:
            if page is not None:
                self.page = page
            self.error = error
            self.version += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def served(self) -> str:
        """The page with the listener (and the error, if the last build failed) before </body>."""
        with self.changed:
            page, error, version = self.page, self.error, self.version
        listener = LISTENER.format(
            hidden="" if error else " hidden", error=html.escape(error or ""), version=version
        )
        if not page:
            page = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>preview</title></head><body></body></html>"
        at = page.rfind("</body>")
        return page[:at] + listener + page[at:] if at >= 0 else page + listener


def handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # the terminal shows builds, not requests
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/":
                self._page()
            elif url.path == "/events":
                seen = parse_qs(url.query).get("v", ["0"])[0]
                self._events(int(seen) if seen.isdigit() else 0)
            else:
                self.send_error(404)

        def _page(self) -> None:
            body = state.served().encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self, seen: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                while True:
                    with state.changed:
                        state.changed.wait_for(
                            lambda seen=seen: state.stopping or state.version != seen,
                            timeout=KEEPALIVE,
                        )
                        if state.stopping:
                            return
                        version, error = state.version, state.error
                    if version == seen:
                        self.wfile.write(b": idle\n\n")
                    elif error:
                        line = " ".join(error.split())
                        self.wfile.write(f"event: failed\ndata: {line}\n\n".encode())
                        seen = version
                    else:
                        self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
                        return
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return  # the page was closed or reloaded

    return Handler


def watched_paths(project: Project) -> list[Path]:
    """What a build reads: the project's sources and its data."""
    return [*project.sources(), *([project.data] if project.data.is_dir() else [])]


def relevant(_change, path: str) -> bool:
    """Skip temporary and hidden files (the build's own, editors' swap files) and caches."""
    parts = Path(path).parts
    return not (
        parts[-1].startswith(".") or parts[-1].endswith("~") or set(parts) & set(IGNORED_PARTS)
    )


def rebuild(project: Project, year: int, lang: str, state: State, say: Say) -> None:
    try:
        result = build_step.build(project, year, [lang], record=False, progress=say)
    except ImpactReportError as error:
        say(f"error: {error}")
        state.update(error=str(error))
        return
    page = next(p for p in result.published[lang] if p.suffix == ".html")
    state.update(page=page.read_text(encoding="utf-8"))
    say(f"built {year} ({lang}): the page reloads")


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stopped_by_signals() -> Iterator[threading.Event]:
    """Ctrl-C (SIGINT) and SIGTERM stop the preview, even where it was started with them
    ignored or blocked (a background job of a script inherits SIGINT ignored): a build under
    way is interrupted, and the watcher, which checks the event between its waits, ends."""
    stop = threading.Event()

    def stopping(_signum, _frame) -> None:
        stop.set()
        raise KeyboardInterrupt

    before = {number: signal.signal(number, stopping) for number in STOP_SIGNALS}
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    try:
        yield stop
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        for number, handler in before.items():
            signal.signal(number, handler)


def run(project: Project, year: int, lang: str | None, say: Say) -> None:
    """Serve and rebuild until Ctrl-C; then stop the server and leave nothing behind."""
    from watchfiles import watch

    build_step.check_year_param(project, year)
    lang = config.check_language(project, lang) if lang else config.languages(project)[0]
    state = State()
    server = ThreadingHTTPServer((HOST, 0), handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    with stopped_by_signals() as stop:
        thread.start()
        say(f"preview of {year} ({lang}) at http://{HOST}:{server.server_port}/ (Ctrl-C to stop)")
        try:
            rebuild(project, year, lang, state, say)
            watched = watch(*watched_paths(project), watch_filter=relevant, stop_event=stop)
            for changes in watched:
                names = sorted({Path(p).name for _, p in changes})
                say(f"changed: {', '.join(names)}")
                rebuild(project, year, lang, state, say)
        except KeyboardInterrupt:
            pass
        finally:
            state.stop()
            server.shutdown()
            server.server_close()
    say("preview stopped")
