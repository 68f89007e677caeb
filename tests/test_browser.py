"""The published HTML editions opened in a real browser: headless Chromium driven by Playwright.

Each edition, as each renderer (built-in and Quarto) makes it, is checked the way a reader meets
it: no console error, no request leaving the file, every image loaded, every table-of-contents link
landing on its section, and no serious or critical axe-core accessibility violation, in a wide
(sidebar contents) and a narrow (phone) layout (pairwise: each renderer and each language in
each layout). On a phone, chart text stays at 12 CSS px or more (the drawing made for a phone,
nothing to pan sideways) and the conditions table reads as blocks. The checks of the template
and its stylesheet run on one language of each renderer, each language once: the contents start
folded on a phone, the wide page and the phone show the drawings made for them, a number shows
its origin on keyboard focus, and printed, links show their address with no serious violation.

The browser is the system's Chromium (Debian package ``chromium``), never a downloaded one. Without
Playwright or Chromium these tests skip, except when ``CI`` is set: there they fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urldefrag

import pytest

from impactreport.paths import Project

EDITIONS = {"nl": "report.html", "fr": "rapport.html"}
LAYOUTS = {"wide": {"width": 1280, "height": 800}, "narrow": {"width": 390, "height": 844}}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = ("serious", "critical")


def unavailable(reason: str) -> NoReturn:
    """Skip locally; under CI a missing browser is a broken pipeline, not a reason to skip."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run although CI is set: {reason}", pytrace=False)
    pytest.skip(f"browser tests need a browser: {reason}")


def axe_script() -> Path | None:
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        return None
    script = Path(next(iter(spec.submodule_search_locations))) / "axe.min.js"
    return script if script.exists() else None


@pytest.fixture(scope="module")
def chromium_browser():
    """One headless system Chromium for the module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable(f"Playwright for Python is not installed ({error}); `pip install playwright`")
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("no `chromium` executable on PATH; `apt-get install chromium` (Debian)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe_js() -> Path:
    script = axe_script()
    if script is None:
        unavailable("axe-core is missing; `pip install axe-playwright-python` ships axe.min.js")
    return script


@dataclass
class Opened:
    """A page and everything it did that a self-contained, error-free page must not do."""

    page: object
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@contextmanager
def open_page(browser, html: Path, layout: str = "wide") -> Iterator[Opened]:
    """Open ``html`` from disk; any request other than the file itself or a data: URL is aborted."""
    document = html.resolve().as_uri()
    context = browser.new_context(viewport=LAYOUTS[layout], service_workers="block")
    opened = Opened(page=None)

    def guard(route) -> None:
        url = route.request.url
        if url.startswith("data:") or urldefrag(url).url == document:
            route.continue_()
        else:
            opened.outside.append(f"{route.request.resource_type} {url[:200]}")
            route.abort()

    try:
        context.route("**/*", guard)
        page = context.new_page()
        opened.page = page
        page.on(
            "console",
            lambda message: (
                opened.console_errors.append(f"console: {message.text} ({message.location})")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: opened.console_errors.append(f"pageerror: {error}"))
        page.on("websocket", lambda socket: opened.outside.append(f"websocket {socket.url}"))
        # loaded: its images and scripts; what it requests later, ``settle_whole_page`` waits for
        page.goto(document, wait_until="load")
        yield opened
    finally:
        context.close()


# --- the checks: each returns what is wrong, so the self-test can prove it catches problems ----


def settle_whole_page(page) -> None:
    """Scroll through the page so that anything loaded late (lazy images, fonts) is requested."""
    page.evaluate(
        """async () => {
            const step = Math.max(window.innerHeight, 200);
            for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
                window.scrollTo(0, y);
                await new Promise(resolve => requestAnimationFrame(resolve));
            }
            window.scrollTo(0, 0);
        }"""
    )
    page.wait_for_load_state("networkidle")


def broken_images(page) -> list[str]:
    images = page.locator("img")
    broken = []
    for index in range(images.count()):
        image = images.nth(index)
        if image.is_visible():  # each chart's other drawing is hidden at this screen width
            image.scroll_into_view_if_needed()
        state = image.evaluate(
            """async img => {
                if (!img.complete) {
                    await new Promise(resolve => {
                        img.addEventListener("load", resolve, {once: true});
                        img.addEventListener("error", resolve, {once: true});
                        setTimeout(resolve, 5000);
                    });
                }
                return {
                    complete: img.complete,
                    width: img.naturalWidth,
                    height: img.naturalHeight,
                    src: img.getAttribute("src") || "",
                    label: img.getAttribute("alt") || img.getAttribute("aria-label") || "",
                };
            }"""
        )
        if not (state["complete"] and state["width"] > 0 and state["height"] > 0):
            broken.append(
                f"img #{index} ({state['label'][:60]!r}, src {state['src'][:60]!r}): "
                f"complete={state['complete']}, naturalWidth={state['width']}"
            )
    return broken


def toc_links(page) -> list[str]:
    return page.locator('nav#TOC a[href^="#"]').evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


# the centre of the link's first line, once the link is in view as a reader (or a click by
# Playwright) brings it there, with its target out of view
AIM = """async ([index, id]) => {
    const element = document.getElementById(id);
    if (element === null) return null;
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    const inView = () => {
        const box = element.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight;
    };
    if (inView()) {  // already in view: start far from it, so that landing is the link's doing
        const top = element.getBoundingClientRect().top + scrollY;
        const middle = document.documentElement.scrollHeight / 2;
        window.scrollTo(0, top > middle ? 0 : document.documentElement.scrollHeight);
    }
    const link = document.querySelectorAll('nav#TOC a[href^="#"]')[index];
    link.scrollIntoView({block: "nearest"});  // within the sidebar's own scrolling too
    // the page reacts to scrolling (the contents follow the reader): wait until the link stands
    // still for a frame, as Playwright's own click does
    let box = link.getClientRects()[0];
    for (let i = 0; i < 120; i++) {
        await frame();
        const now = link.getClientRects()[0];
        if (now.x === box.x && now.y === box.y && now.width === box.width) break;
        box = now;
    }
    return {x: box.left + box.width / 2, y: box.top + box.height / 2};
}"""

# the target in view within 3 s of the click; otherwise where the page ended up
LANDED = """async id => {
    const element = document.getElementById(id);
    const landed = () => {
        const top = element.getBoundingClientRect().top;
        return decodeURIComponent(location.hash.slice(1)) === id
            && top >= -2 && top < innerHeight && element.checkVisibility();
    };
    const until = performance.now() + 3000;
    while (!landed() && performance.now() < until) {
        await new Promise(resolve => requestAnimationFrame(resolve));
    }
    return landed() ? null : {
        hash: location.hash,
        top: element.getBoundingClientRect().top,
        viewport: innerHeight,
        visible: element.checkVisibility(),
    };
}"""


def toc_problems(page) -> list[str]:
    """Every contents link: its target exists, and a mouse click on the link brings the target
    into view. The click is the browser's own (``page.mouse``): whatever covers the link would
    get it instead."""
    hrefs = toc_links(page)
    if hrefs and not page.locator('nav#TOC a[href^="#"]').first.is_visible():
        page.locator("nav#TOC summary").click()  # on a phone the contents start folded
    problems = []
    for index, href in enumerate(hrefs):
        target = unquote(href[1:])
        point = page.evaluate(AIM, [index, target])
        if point is None:
            problems.append(f"{href}: no element with id {target!r}")
            continue
        page.mouse.click(point["x"], point["y"])
        where = page.evaluate(LANDED, target)
        if where is not None:
            problems.append(f"{href}: after the click the target is not in view: {where}")
    return problems


def blocking_violations(page, axe_js: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_js))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}; "
            f"{len(targets)} element(s), first: {targets[:3]} ({violation['helpUrl']})"
        )
    return "\n".join(lines)


# --- the published editions -------------------------------------------------------------------


# Quarto's first: its render in a fresh clone is what another worker's test_quarto_real.py
# would otherwise wait for, idle, while this one made it
@pytest.fixture(scope="module", params=["quarto", "builtin"])
def editions(chromium_browser, request) -> dict[str, Path]:
    """The HTML editions of each renderer. The build is asked for only once the browser is there:
    pytest sets up session fixtures before module ones, so naming ``built_2024`` as an argument
    would build the report (~30 s) even when the browser tests are about to skip. Quarto's are
    those of the real-Quarto render in a fresh clone (skipped without Quarto, except under CI)."""
    return html_editions(request, request.param)


def html_editions(request, renderer: str) -> dict[str, Path]:
    if renderer == "quarto":
        folders = request.getfixturevalue("quarto_2024").quarto
    else:
        built_2024: Project = request.getfixturevalue("built_2024")
        folders = {lang: built_2024.output / "2024" / lang for lang in EDITIONS}
    found = {lang: folders[lang] / name for lang, name in EDITIONS.items()}
    missing = [str(path) for path in found.values() if not path.is_file()]
    assert not missing, f"the {renderer} renderer published no HTML edition at {missing}"
    return found


# The keyboard, print and layout-switching checks test a renderer's template and stylesheet,
# which its two languages share: each renderer once, each language once.
ONE_LANGUAGE_EACH = [("quarto", "nl"), ("builtin", "fr")]


@pytest.fixture(params=ONE_LANGUAGE_EACH, ids="-".join)
def edition(chromium_browser, request) -> Path:
    renderer, lang = request.param
    return html_editions(request, renderer)[lang]


@pytest.fixture(params=sorted(EDITIONS))
def lang(request) -> str:
    return request.param


# The contents links and the accessibility audit, the slowest checks, run on four pages, not
# all eight: a pairwise design in which each renderer meets each language and each layout, and
# each language each layout.
PAIRWISE_LAYOUT = {
    ("quarto", "nl"): "wide",
    ("quarto", "fr"): "narrow",
    ("builtin", "fr"): "wide",
    ("builtin", "nl"): "narrow",
}


@pytest.fixture
def paired_layout(request, lang) -> str:
    return PAIRWISE_LAYOUT[(request.node.callspec.params["editions"], lang)]


@pytest.fixture
def opened(chromium_browser, editions, lang) -> Iterator[Opened]:
    with open_page(chromium_browser, editions[lang]) as page:
        yield page


@pytest.mark.slow
def test_the_page_loads_whole_without_errors_or_requests_out(opened):
    """Scrolled through to its end: no console error, no request leaving the file, and every
    image loaded."""
    settle_whole_page(opened.page)
    assert opened.page.locator("img").count() > 0, "the edition shows no image at all"
    broken = broken_images(opened.page)
    problems = [
        *opened.console_errors,
        *(f"request leaving the self-contained file: {request}" for request in opened.outside),
        *(f"image that did not load: {image}" for image in broken),
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_table_of_contents_links_land_on_their_sections(
    chromium_browser, editions, lang, paired_layout
):
    with open_page(chromium_browser, editions[lang], paired_layout) as opened:
        assert len(toc_links(opened.page)) > 1, "nav#TOC has no links to sections"
        problems = toc_problems(opened.page)
        assert not problems, f"contents links that do not land ({paired_layout}):\n" + "\n".join(
            problems
        )
        assert not opened.console_errors


@pytest.mark.slow
def test_no_serious_accessibility_violation(
    chromium_browser, axe_js, editions, lang, paired_layout
):
    layout = paired_layout
    with open_page(chromium_browser, editions[lang], layout) as opened:
        violations = blocking_violations(opened.page, axe_js)
        assert not violations, (
            f"axe-core: serious or critical violations in the {lang} edition ({layout}):\n"
            + describe_violations(violations)
        )


def focus_first_number(page, presses: int = 400) -> dict | None:
    """Tab from the top of the page to the first indicator number; what focus shows there."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        shown = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || !el.classList.contains("indicator")) return null;
                const after = getComputedStyle(el, "::after");
                return {
                    id: el.dataset.id,
                    origin: el.dataset.origin,
                    shown: after.content,
                    width: parseFloat(after.width) || 0,
                    outline: getComputedStyle(el).outlineStyle,
                };
            }"""
        )
        if shown:
            return shown
    return None


@pytest.mark.slow
def test_a_number_shows_its_origin_on_keyboard_focus(chromium_browser, edition):
    with open_page(chromium_browser, edition) as opened:
        page = opened.page
        first = page.locator("span.indicator").first
        assert first.evaluate("el => getComputedStyle(el, '::after').content") == "none"
        shown = focus_first_number(page)
        assert shown is not None, "no indicator number is reached with the Tab key"
        assert shown["id"] and shown["origin"].startswith(shown["id"])
        # CSS gives attr() as a quoted string
        assert shown["shown"] == json.dumps(shown["origin"], ensure_ascii=False)
        assert shown["width"] > 0 and shown["outline"] != "none"


# the smallest chart text a phone reader gets (under Quarto, before the phone drawings: about 7 CSS
# px, the chart shrunk to the screen)
CHART_TEXT_PX = 12


def shown_charts(page) -> list[dict]:
    """Each chart image on screen: its box, whether its frame scrolls sideways, and its drawn
    smallest text (pt), read from the SVG itself: text drawn as paths is scaled to its size over 100
    (matplotlib's ``scale(0.09 -0.09)`` for 9 pt), and the SVG's width is in pt."""
    return page.locator(".quarto-float-fig img").evaluate_all(
        r"""async images => {
            const shown = images.filter(img => img.getBoundingClientRect().width > 0);
            return Promise.all(shown.map(async img => {
                const svg = await (await fetch(img.currentSrc)).text();
                const scales = [...svg.matchAll(/scale\(([0-9.]+) -\1\)/g)].map(m => +m[1]);
                const box = img.getBoundingClientRect();
                const frame = img.closest("figure");
                return {
                    figure: img.closest(".quarto-float").id,
                    drawn_pt: 100 * Math.min(...scales),
                    width_pt: parseFloat(svg.match(/<svg[^>]*\swidth="([0-9.]+)pt"/)[1]),
                    left: box.left,
                    right: box.right,
                    rendered: box.width,
                    scrolls: [frame, ...frame.querySelectorAll("*")].some(e =>
                        e.scrollWidth > e.clientWidth + 1
                        && getComputedStyle(e).overflowX !== "visible"),
                };
            }));
        }"""
    )


def chart_text_px(chart: dict) -> float:
    """The smallest text in CSS px: its drawn size times the image's scale (px per drawn pt)."""
    return chart["drawn_pt"] * chart["rendered"] / chart["width_pt"]


@pytest.mark.slow
def test_on_a_phone_chart_text_stays_legible(chromium_browser, editions, lang):
    width = LAYOUTS["narrow"]["width"]
    with open_page(chromium_browser, editions[lang], "narrow") as opened:
        charts = shown_charts(opened.page)
        assert len(charts) >= 4
        for chart in charts:
            where = f"{chart['figure']} ({lang}): {chart}"
            assert chart_text_px(chart) >= CHART_TEXT_PX - 0.05, where
            # the whole drawing on screen, not a frame to pan
            assert chart["left"] >= 0 and chart["right"] <= width, where
            assert not chart["scrolls"], where
        assert opened.page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.slow
def test_the_wide_page_shows_the_charts_drawn_for_the_page(chromium_browser, edition):
    with open_page(chromium_browser, edition, "wide") as opened:
        wide = {chart["figure"]: chart for chart in shown_charts(opened.page)}
    with open_page(chromium_browser, edition, "narrow") as opened:
        narrow = {chart["figure"]: chart for chart in shown_charts(opened.page)}
        alts = opened.page.locator("figure.quarto-float-fig").evaluate_all(
            "figures => figures.map(f => [...f.querySelectorAll('img')].map(i => i.alt))"
        )
    assert wide.keys() == narrow.keys()
    # a different drawing on each: the phone's is narrower, with larger relative text
    for figure, chart in wide.items():
        assert narrow[figure]["width_pt"] < chart["width_pt"], figure
        ratio = narrow[figure]["drawn_pt"] / narrow[figure]["width_pt"]
        assert ratio > chart["drawn_pt"] / chart["width_pt"], figure
    # both drawings of a chart say the same to a screen reader
    assert all(len(pair) == 2 and len(set(pair)) == 1 and pair[0] for pair in alts), alts


@pytest.mark.slow
def test_on_a_phone_the_text_comes_before_the_contents(chromium_browser, edition):
    height = LAYOUTS["narrow"]["height"]
    with open_page(chromium_browser, edition, "narrow") as opened:
        page = opened.page
        contents = page.locator("nav#TOC")
        first_link = page.locator("nav#TOC a").first
        assert not first_link.is_visible(), "the contents start unfolded on a phone"
        # the title band, the folded contents, then the text, within the first screen; a
        # draft's label comes before them all
        assert contents.bounding_box()["height"] <= 0.1 * height, contents.bounding_box()
        mark = page.locator(".draft-mark")
        label = mark.bounding_box()["height"] if mark.count() else 0
        assert page.locator("main").bounding_box()["y"] < height + label
        # the contents' title unfolds them, by keyboard too
        page.locator("nav#TOC summary").focus()
        page.keyboard.press("Enter")
        assert first_link.is_visible()
    with open_page(chromium_browser, edition, "wide") as opened:
        assert opened.page.locator("nav#TOC a").first.is_visible(), "the sidebar starts folded"


@pytest.mark.slow
def test_on_a_phone_the_conditions_read_as_blocks(chromium_browser, editions, lang):
    with open_page(chromium_browser, editions[lang], "narrow") as opened:
        page = opened.page
        # the conditions table: one block per condition, nothing cut off at the right
        rows = page.locator("#tbl-conditions tbody tr")
        assert rows.count() == 9
        assert rows.first.evaluate("row => getComputedStyle(row).display") == "block"
        widths = page.locator("#tbl-conditions tbody td").evaluate_all(
            "cells => cells.map(cell => cell.getBoundingClientRect().right)"
        )
        assert max(widths) <= LAYOUTS["narrow"]["width"]


@pytest.mark.slow
def test_printed_from_the_browser_links_show_their_address(chromium_browser, axe_js, edition):
    with open_page(chromium_browser, edition) as opened:
        page = opened.page
        page.emulate_media(media="print")
        assert page.locator("nav#TOC").evaluate("nav => getComputedStyle(nav).display") == "none"
        shown = page.locator('main a[href^="http"]').evaluate_all(
            """links => links.map(link =>
                [link.getAttribute('href'), getComputedStyle(link, '::after').content])"""
        )
        assert len(shown) >= 5
        assert [href for href, after in shown if href not in after] == []
        violations = blocking_violations(page, axe_js)
        assert not violations, describe_violations(violations)


# --- the checks themselves catch what they are for --------------------------------------------

BAD_PAGE = """<!DOCTYPE html>
<html><head><title>bad</title>
<link rel="stylesheet" href="https://fonts.example.invalid/font.css"></head>
<body>
<nav id="TOC"><a href="#present">present</a> <a href="#absent">absent</a></nav>
<img src="https://cdn.example.invalid/logo.png">
<img src="missing.png" alt="a picture next to the file">
<section id="present"><h1>Present</h1></section>
<script>console.error("boom"); fetch("https://api.example.invalid/track");</script>
<script>undefinedFunction();</script>
</body></html>
"""


@pytest.mark.slow
def test_checks_catch_a_bad_page(chromium_browser, axe_js, tmp_path):
    html = tmp_path / "bad.html"
    html.write_text(BAD_PAGE, encoding="utf-8")
    with open_page(chromium_browser, html) as opened:
        settle_whole_page(opened.page)
        outside = "\n".join(opened.outside)
        for url in ("fonts.example.invalid", "cdn.example.invalid", "api.example.invalid"):
            assert url in outside
        assert "missing.png" in outside, "a file next to the page is not part of the page"
        errors = "\n".join(opened.console_errors)
        assert "boom" in errors and "undefinedFunction" in errors
        assert len(broken_images(opened.page)) == 2
        assert [problem.split(":")[0] for problem in toc_problems(opened.page)] == ["#absent"]
        found = {violation["id"] for violation in blocking_violations(opened.page, axe_js)}
        assert {"image-alt", "html-has-lang"} <= found, found
