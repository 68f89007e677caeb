"""``preview``: the HTML edition served on the loopback address, rebuilt on every edit.

On each change the watcher sees (``watchfiles``), the project's own incremental build runs: the
notebooks whose key changed run again in warm kernels (``warm_kernels``: one per notebook, kept
between edits, each run started over from a fresh kernel's state), and only the watched edition's
HTML is rendered, into ``_build/<year>/<lang>/preview/``, linking its figures and stylesheet
rather than embedding them (the server hands them out). The open page learns of it through
server-sent events, fetches the new page and replaces what differs in place (the reader keeps
the place; a changed figure has a new address, an unchanged one is not fetched again). A build
that fails keeps the last good page on screen, with the one-line error above it; the next good
build brings the page back.
The PDF and the Word file are made when asked (the page's button, or ``build``), and then
published with the HTML to ``_output/<year>/<lang>/``, as ``build`` publishes them. The small
script that listens is added to the page as it is served, never to a rendered file.
"""

from __future__ import annotations

import html
import mimetypes
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from impactreport import config, digests, folders
from impactreport.errors import ImpactReportError
from impactreport.paths import Project
from impactreport.pipeline import build as build_step
from impactreport.pipeline import compute as compute_step
from impactreport.pipeline.warm_kernels import WarmKernels
from impactreport.publishing import review

HOST = "127.0.0.1"  # never any other interface
KEEPALIVE = 10  # seconds between comments on an idle event stream
# a save's events come within milliseconds (an editor writes, then renames): wait this long
# for the last of them, not watchfiles' 50 ms
STEP_MS = 15
IGNORED_PARTS = ("__pycache__", ".ipynb_checkpoints")

LISTENER = """<div id="preview-error" data-preview role="alert" style="position:sticky;top:0;z-index:10;
margin:0;padding:0.75rem 1rem;background:#7a1f17;color:#fff;font:1rem/1.4 sans-serif"{hidden}>{error}</div>
<button id="preview-formats" data-preview type="button" title="PDF and Word, published to _output/"
style="position:fixed;right:1rem;bottom:1rem;z-index:10;font:0.9rem sans-serif">PDF + Word</button>
<script data-preview>
(() => {{
  const box = document.getElementById("preview-error");
  const button = document.getElementById("preview-formats");
  history.scrollRestoration = "manual";
  const kept = JSON.parse(sessionStorage.getItem("preview-scroll") || "null");
  sessionStorage.removeItem("preview-scroll");
  // again once the linked figures have loaded and the page has its height
  if (kept) {{
    window.scrollTo(kept[0], kept[1]);
    window.addEventListener("load", () => window.scrollTo(kept[0], kept[1]));
  }}
  const reload = () => {{
    sessionStorage.setItem("preview-scroll", JSON.stringify([scrollX, scrollY]));
    location.reload();
  }};
  const own = (node) => node.nodeType === 1 && node.hasAttribute("data-preview");
  const sameAttributes = (a, b) =>
    a.attributes.length === b.attributes.length &&
    [...a.attributes].every((at) => b.getAttribute(at.name) === at.value);
  // the page brought to the new one in place: only what differs is replaced, so the reader
  // keeps the place, and unchanged figures are not fetched again
  const patch = (old, fresh) => {{
    const before = [...old.childNodes].filter((n) => !own(n));
    const after = [...fresh.childNodes].filter((n) => !own(n));
    if (before.length !== after.length) return false;
    before.forEach((node, i) => {{
      const next = after[i];
      if (node.isEqualNode(next)) return;
      const alike = node.nodeType === 1 && next.nodeType === 1 && node.tagName === next.tagName;
      if (alike && sameAttributes(node, next) && patch(node, next)) return;
      node.replaceWith(document.importNode(next, true));
    }});
    return true;
  }};
  const events = new EventSource("/events?v={version}&f={formats}");
  events.addEventListener("reload", async () => {{
    try {{
      const response = await fetch("/", {{ cache: "no-store" }});
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      const [x, y] = [scrollX, scrollY];
      if (!fresh.head.isEqualNode(document.head) || !patch(document.body, fresh.body)) reload();
      else {{
        window.scrollTo(x, y);  // where the reader was, not where the browser's anchoring puts it
        box.hidden = true;
      }}
    }} catch (error) {{
      reload();
    }}
  }});
  events.addEventListener("failed", (event) => {{
    box.textContent = event.data;
    box.hidden = false;
  }});
  events.addEventListener("formats", (event) => {{
    button.textContent = event.data;
    button.disabled = false;
  }});
  button.addEventListener("click", () => {{
    button.disabled = true;
    button.textContent = "PDF + Word \u2026";
    fetch("/formats", {{method: "POST"}});
  }});
}})();
</script>
"""

Say = Callable[[str], None]


@dataclass
class State:
    """The last good page, the last error, and a version that moves on with every build; what
    became of the last request for the PDF and Word files, and its own version."""

    page: str = ""
    error: str | None = None
    version: int = 0
    formats: str = ""
    formats_version: int = 0
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, *, page: str | None = None, error: str | None = None) -> None:
        with self.changed:
            if page is not None:
                self.page = page
            self.error = error
            self.version += 1
            self.changed.notify_all()

    def formats_done(self, message: str) -> None:
        with self.changed:
            self.formats = message
            self.formats_version += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def served(self) -> str:
        """The page with the listener (and the error, if the last build failed) before </body>."""
        with self.changed:
            page, error, version = self.page, self.error, self.version
            formats = self.formats_version
        listener = LISTENER.format(
            hidden="" if error else " hidden",
            error=html.escape(error or ""),
            version=version,
            formats=formats,
        )
        if not page:
            page = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>preview</title></head><body></body></html>"
        at = page.rfind("</body>")
        return page[:at] + listener + page[at:] if at >= 0 else page + listener


def handler(
    state: State, make_formats: Callable[[], None], folder: Path
) -> type[BaseHTTPRequestHandler]:
    """Requests for the page, its events, the figures and stylesheet it links (from ``folder``,
    where the page is rendered) and the PDF and Word files."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # the terminal shows builds, not requests
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/":
                self._page()
            elif url.path == "/events":
                query = parse_qs(url.query)
                self._events(_number(query, "v"), _number(query, "f"))
            else:
                self._linked(unquote(url.path))

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/formats":
                self.send_error(404)
                return
            make_formats()
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _page(self) -> None:
            page = versioned_links(state.served(), folder)
            self._send(page.encode("utf-8"), "text/html; charset=utf-8")

        def _linked(self, path: str) -> None:
            """A figure or the stylesheet the page links; nothing outside the page's folder."""
            base = folder.resolve()
            wanted = (base / path.lstrip("/")).resolve()
            if not wanted.is_relative_to(base) or not wanted.is_file():
                self.send_error(404)
                return
            kind = mimetypes.guess_type(wanted.name)[0] or "text/plain"
            self._send(wanted.read_bytes(), kind)

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self, seen: int, formats_seen: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

            def moved() -> bool:
                return (
                    state.stopping or state.version != seen or state.formats_version != formats_seen
                )

            try:
                while True:
                    with state.changed:
                        state.changed.wait_for(moved, timeout=KEEPALIVE)
                        if state.stopping:
                            return
                        version, error = state.version, state.error
                        formats_version, formats = state.formats_version, state.formats
                    if formats_version != formats_seen:
                        self.wfile.write(f"event: formats\ndata: {formats}\n\n".encode())
                        formats_seen = formats_version
                    if version == seen and formats_version == formats_seen:
                        self.wfile.write(b": idle\n\n")
                    elif error and version != seen:
                        line = " ".join(error.split())
                        self.wfile.write(f"event: failed\ndata: {line}\n\n".encode())
                        seen = version
                    elif version != seen:
                        self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
                        seen = version
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return  # the page was closed or reloaded

    return Handler


LINK = re.compile(r'(?P<attr>\b(?:src|href)=")(?P<path>[^"#?:]+)"')


def versioned_links(page: str, folder: Path) -> str:
    """Each figure and stylesheet the page links, named with its content's digest: a changed
    figure is a new address, which the page then fetches, and an unchanged one is not fetched
    again when the page is patched."""

    def versioned(match: re.Match) -> str:
        path = folder / unquote(match["path"])
        if not path.is_file():
            return match[0]
        return f'{match["attr"]}{match["path"]}?v={digests.file_digest(path)[:12]}"'

    return LINK.sub(versioned, page)


def _number(query: dict[str, list[str]], name: str) -> int:
    value = query.get(name, ["0"])[0]
    return int(value) if value.isdigit() else 0


def watched_paths(project: Project) -> list[Path]:
    """What a build reads: the project's sources and its data."""
    return [*project.sources(), *([project.data] if project.data.is_dir() else [])]


def relevant(_change, path: str) -> bool:
    """Skip temporary and hidden files (the build's own, editors' swap files) and caches."""
    parts = Path(path).parts
    return not (
        parts[-1].startswith(".") or parts[-1].endswith("~") or set(parts) & set(IGNORED_PARTS)
    )


def preview_folder(project: Project, year: int, lang: str) -> Path:
    """Where the preview's HTML is rendered: not ``_output``, whose edition holds all formats."""
    return project.year_build(year) / lang / "preview"


@dataclass
class Session:
    """What one preview works with: its edition, its page, its warm kernels, and one lock that
    takes the edits and the requests for PDF and Word one at a time."""

    project: Project
    year: int
    lang: str
    state: State
    say: Say
    kernels: WarmKernels
    work: threading.Lock = field(default_factory=threading.Lock)
    reviewed: set[str] = field(default_factory=set)  # the passages to review already said

    def computed(self) -> None:
        """The year's results, from the warm kernels; the narrative's passages still to review
        (each said once, not again on every edit)."""
        for passage in review.before_build(self.project, [self.lang], final=False):
            line = f"to review: {passage.where(self.project.root)}: {passage.text}"
            if line not in self.reviewed:
                self.reviewed.add(line)
                self.say(line)
        compute_step.compute(
            self.project,
            self.year,
            report=lambda name, what: self.say(f"{name}: {what}"),
            runner=self.kernels.run,
        )

    def rebuild(self) -> None:
        """Compute, render the watched edition's HTML alone and tell the open page."""
        project, year, lang = self.project, self.year, self.lang
        try:
            with self.work, build_step.locked(project):
                try:
                    self.computed()
                    published = build_step.render_edition(
                        project,
                        year,
                        lang,
                        ("html",),
                        say=self.say,
                        target=preview_folder(project, year, lang),
                        linked=True,
                    )
                finally:
                    # now that the render no longer needs the cores; under the lock, so that a
                    # request for PDF and Word waits for it rather than running beside it
                    self.kernels.tidy()
                [page] = [p for p in published if p.suffix == ".html"]
        except ImpactReportError as error:
            self.say(f"error: {error}")
            self.state.update(error=str(error))
            return
        self.state.update(page=page.read_text(encoding="utf-8"))
        self.say(f"built {year} ({lang}): the page follows")

    def start_kernels(self) -> None:
        """Every notebook's kernel started ahead of the first edit that reruns it."""
        with self.work:
            self.kernels.start_ahead(compute_step.notebooks(self.project))
        self.say(f"kernels ready: {self.kernels.started} started ahead of the first edit")

    def make_formats(self) -> None:
        """Render every format of the edition and publish it, after the edit under way."""
        threading.Thread(target=self._formats, daemon=True).start()

    def _formats(self) -> None:
        project, year, lang = self.project, self.year, self.lang
        try:
            with self.work, build_step.locked(project):
                self.computed()
                published = build_step.render_edition(project, year, lang, say=self.say)
        except ImpactReportError as error:
            self.say(f"error: {error}")
            self.state.formats_done(f"PDF + Word: {' '.join(str(error).split())[:200]}")
            return
        folder = published[0].parent.relative_to(project.root)
        self.say(f"published {year} ({lang}) in every format to {folder}")
        self.state.formats_done(f"PDF + Word: {folder}")


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
    """Serve and rebuild until Ctrl-C; then stop the server and the kernels, leaving nothing."""
    from watchfiles import watch

    from impactreport.inputs import kept

    build_step.check_year_param(project, year)
    lang = config.check_language(project, lang) if lang else config.languages(project)[0]
    kept.keep_validated()  # an edited input is validated again, the others not
    kernels = WarmKernels(project, project.year_build(year) / "preview-kernels.log")
    session = Session(project, year, lang, State(), say, kernels)
    server = ThreadingHTTPServer(
        (HOST, 0), handler(session.state, session.make_formats, preview_folder(project, year, lang))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    starter = threading.Thread(target=session.start_kernels, daemon=True)
    with stopped_by_signals() as stop, folders.removing_in_background():
        thread.start()
        say(f"preview of {year} ({lang}) at http://{HOST}:{server.server_port}/ (Ctrl-C to stop)")
        try:
            session.rebuild()
            starter.start()
            watched = watch(
                *watched_paths(project), watch_filter=relevant, stop_event=stop, step=STEP_MS
            )
            for changes in watched:
                names = sorted({Path(p).name for _, p in changes})
                say(f"changed: {', '.join(names)}")
                session.rebuild()
        except KeyboardInterrupt:
            pass
        finally:
            session.state.stop()
            server.shutdown()
            server.server_close()
            kernels.close()  # a kernel still starting is ended as it comes up
            if starter.is_alive():
                starter.join(timeout=60)
    say("preview stopped")
