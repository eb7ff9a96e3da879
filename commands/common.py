"""What every command shares: the run's state, the error contract, the shared options and progress.

`cli` re-exports these (`cli.fails_cleanly`, `cli.State`, ...); they live here so that the command modules
and `cli` import them without importing each other.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

import sosmeta.workspace as ws
from sosmeta.catalog import Catalog, CatalogError, UnknownStructure
from sosmeta.messages import LANGS, MESSAGES, Lang, error_message, lang_from_environment, localized, text
from sosmeta.safeio.paths import UnsafePath
from sosmeta.safeio.reading import display_name
from sosmeta.sosmeta_import import InputError
from sosmeta.sosmeta_import.errors import one_line

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass
class State:
    workspace: ws.Workspace | None
    quiet: bool
    lang: Lang = "fi"
    """The language of messages: the root group's --lang, else the locale environment's, else Finnish."""

    def catalog(self, option: Path | None, *, holding: bool = True) -> Catalog:
        """The catalog of --catalog, else the workspace's; with `holding`, a folder that holds versions
        (else the folder must only exist or be creatable, as for `import`)."""
        if option is not None:
            catalog = Catalog(option)
        elif self.workspace is not None:
            catalog = Catalog(self.workspace.catalog)
        else:
            raise click.UsageError(text("no_catalog", self.lang))
        if holding:
            check_catalog(catalog, self.lang)
        return catalog

    def t(self, key: str, **params: object) -> str:
        """The message `key` in the run's language."""
        return text(key, self.lang, **params)


def check_catalog(catalog: Catalog, lang: Lang, *, empty_ok: bool = False) -> None:
    """Refuse a catalog folder that does not exist, is not a folder or (unless `empty_ok`) holds no versions,
    so that a mistyped --catalog never passes as an empty catalog."""
    root = catalog.root
    why = (
        "not_a_catalog.missing"
        if not root.exists()
        else "not_a_catalog.not_folder"
        if not root.is_dir()
        else None
        if empty_ok or catalog.entries()
        else "not_a_catalog.no_versions"
    )
    if why is not None:
        raise CatalogError(text("not_a_catalog", lang, path=root, why=text(why, lang)))


def check_output_file(path: Path, option: str, lang: Lang) -> None:
    """Refuse an output file that is a folder or whose folder does not exist, as one located line."""
    if path.is_dir():
        raise InputError.one(str(path), option, text("out_is_dir", lang), "file.output")
    parent = path.parent
    if not parent.is_dir():
        raise InputError.one(str(path), option, text("out_no_parent", lang, parent=parent), "file.output")


def check_output_folder(path: Path, option: str, lang: Lang) -> None:
    """Refuse an output folder that is a file."""
    if path.exists() and not path.is_dir():
        raise InputError.one(str(path), option, text("out_is_file", lang), "file.output")


def current_lang() -> Lang:
    """The language of the running command (the locale environment's before the root group has run)."""
    ctx = click.get_current_context(silent=True)
    state = ctx.find_object(State) if ctx is not None else None
    return state.lang if state is not None else lang_from_environment()


def fails_cleanly(func: F) -> F:
    """Turn expected errors into a message on stderr and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            lang = current_lang()
            for problem in exc.problems:
                click.echo(f"error: {problem.text(lang)}", err=True)
            sys.exit(2)
        except UnknownStructure as exc:  # raised below the front ends, so in English: say it in the run's language
            from sosmeta.operations.catalog_view import unknown_text

            click.echo(f"error: {unknown_text(exc, current_lang())}", err=True)
            sys.exit(2)
        except (CatalogError, ws.WorkspaceError, UnsafePath) as exc:
            click.echo(f"error: {one_line(error_text(exc, current_lang()))}", err=True)
            sys.exit(2)
        except OSError as exc:  # last resort: a file-system fault nothing closer handled (disk full, read-only)
            click.echo(f"error: {os_error(exc)}", err=True)
            sys.exit(2)
        except RecursionError:  # last resort: inputs are depth-checked where they are read
            click.echo(f"error: {text('too_deep', current_lang())}", err=True)
            sys.exit(2)
        except UnicodeError:  # last resort: inputs with lone surrogates are refused where they are read
            click.echo(f"error: {text('not_utf8', current_lang())}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def error_text(exc: Exception, lang: Lang) -> str:
    """An error's message in `lang` when it was raised with a `messages.Localized` text, else as it is."""
    return localized(error_message(exc), lang)


def os_error(exc: OSError) -> str:
    """`<file>: <reason>` of a file-system error; the message names the file, never what was in it."""
    reason = exc.strerror or type(exc).__name__
    return f"{display_name(exc.filename)}: {reason}" if exc.filename is not None else reason


def progress(items: Iterable[T], label: str) -> Iterator[T]:
    """A rich progress bar on a terminal; silent when output is redirected (CI logs stay readable)."""
    from rich.progress import track

    seq = list(items)
    description = progress_label(label)
    return iter(track(seq, description=description, console=console(), disable=not console().is_terminal))


def progress_label(label: str) -> str:
    """An operation's progress label (`importing`, ...) in the run's language; a target's name as it is."""
    key = f"progress.{label}"
    return text(key, current_lang()) if key in MESSAGES else label


def progress_stream(items: Iterable[T], label: str) -> Iterator[T]:
    """A rich counter for a stream of unknown length (items are passed on as they come, never collected)."""
    err = console()
    if not err.is_terminal:
        yield from items
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description} {task.completed}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(progress_label(label), total=None)
        for item in items:
            yield item
            bar.advance(task)


_CONSOLE: Any = None


def console() -> Any:
    """The one rich console of standard error: progress bars, and every line printed while one is live, go
    through it, so a line is printed above the bar rather than into it. It writes to whatever `sys.stderr` is
    at the time (a test runner's capture too)."""
    global _CONSOLE
    if _CONSOLE is None:
        from rich.console import Console

        _CONSOLE = Console(stderr=True)
    return _CONSOLE


def echo_err(line: str) -> None:
    """A line on standard error, above a live progress bar when there is one (never glued to it)."""
    err = console()
    if err.is_terminal:
        err.print(line, markup=False, highlight=False, soft_wrap=True, emoji=False)
    else:
        click.echo(line, err=True)


def echo_out(line: str) -> None:
    """A line on standard output that a live progress bar on the same terminal prints above itself: rich
    redirects `sys.stdout` while the bar is live, and click's echo would write past that redirection."""
    if console().is_terminal and sys.stdout.isatty():
        print(line, file=sys.stdout, flush=True)
    else:
        click.echo(line)


# Path parameter types the commands share (values arrive as pathlib.Path).
EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
FILE_PATH = click.Path(dir_okay=False, path_type=Path)
DIR_PATH = click.Path(file_okay=False, path_type=Path)

no_wait_option = click.option(
    "--no-wait",
    is_flag=True,
    help="Refuse at once (exit 2) when another sosmeta run holds the folder's lock, instead of waiting.",
)
catalog_option = click.option(
    "--catalog",
    "catalog_dir",
    type=DIR_PATH,
    help="Catalog folder (default: the workspace's catalog from sosmeta.toml).",
)


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        state = ctx.find_object(State)
        if state is not None:
            state.quiet = True


quiet_option = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    callback=_set_quiet,
    help="Print only errors and the summary (as `sosmeta -q`).",
)


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """A command's --lang overrides the root group's for everything the command prints."""
    state = ctx.find_object(State)
    if value is not None and state is not None:
        state.lang = value  # type: ignore[assignment]
    return value or (state.lang if state is not None else lang_from_environment())


def lang_option(help: str = "Language of the messages (default: sosmeta --lang).") -> Callable[[F], F]:
    """A command's own --lang (fi, sv, en): the value arrives resolved, never None."""
    return click.option("--lang", type=click.Choice(LANGS), callback=_set_lang, help=help)
