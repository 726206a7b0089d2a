"""The chainer: one thread per database engine that links committed
pending audit records into the hash chain (PostgreSQL).

Writers commit their records into ``audit_pending`` side by side and then
wait here; the chainer takes the chain head's lock once per pass and chains
everything committed so far, so that one lock and one commit serve every
writer that was waiting. A pass that *begins* after a writer's commit sees
that writer's record (read committed), so a writer waits for such a pass to
end. Several processes each run their own chainer; they queue on the head's
lock, and whichever runs first chains the others' records too.

The thread starts on demand and ends after ``IDLE_SECONDS`` without work,
so an engine that is disposed of leaves no thread behind.
"""

from __future__ import annotations

import logging
import threading
import weakref

from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

IDLE_SECONDS = 2.0


class Chainer:
    def __init__(self, engine: Engine) -> None:
        self._engine = weakref.ref(engine)
        self._condition = threading.Condition()
        self._started = 0  # passes begun
        self._wanted = False
        # Writers waiting, each for the end of one pass: woken once, by that pass.
        self._waiting: list[tuple[int, threading.Event]] = []
        self._thread: threading.Thread | None = None

    def wait_for_pass(self, timeout: float) -> bool:
        """Ask for a pass and wait until one that begins after this call has
        ended. False when ``timeout`` seconds went by first."""
        done = threading.Event()
        with self._condition:
            self._waiting.append((self._started + 1, done))
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="jiceng-audit-chainer", daemon=True)
                self._thread.start()
            self._condition.notify()
        return done.wait(timeout)

    def _finish(self, current: int) -> None:
        with self._condition:
            finished = [event for target, event in self._waiting if target <= current]
            self._waiting = [(target, event) for target, event in self._waiting if target > current]
        for event in finished:
            event.set()

    def _run(self) -> None:
        connection: Connection | None = None
        try:
            while True:
                with self._condition:
                    if not self._wanted:
                        self._condition.wait(IDLE_SECONDS)
                    if not self._wanted:
                        self._thread = None
                        return
                    self._wanted = False
                    self._started += 1
                    current = self._started
                try:
                    connection = self._pass_or_retry(connection)
                finally:
                    self._finish(current)
        finally:
            if connection is not None:
                connection.close()

    def _pass_or_retry(self, connection: Connection | None) -> Connection | None:
        """A pass; if it fails on a kept connection (the server may have
        dropped it while idle), once more on a fresh one. A failure leaves
        the records pending: the next pass, or verify, chains them."""
        for attempt in (1, 2):
            try:
                return self._pass(connection)
            except Exception:
                if connection is not None:
                    connection.invalidate()
                    connection.close()
                connection = None
                if attempt == 2:
                    log.exception("could not chain pending audit records")
        return None

    def _pass(self, connection: Connection | None) -> Connection | None:
        """Chain what is pending. The connection is kept between passes (a
        pool checkout per pass would cost more than the pass) and runs in
        autocommit mode: each batch is one statement, committed on its own."""
        from core.audit.service import chain_all_pending

        if connection is None:
            engine = self._engine()
            if engine is None:
                return None
            connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        chain_all_pending(connection)
        return connection


_chainers: weakref.WeakKeyDictionary[Engine, Chainer] = weakref.WeakKeyDictionary()
_chainers_lock = threading.Lock()


def chainer_for(engine: Engine) -> Chainer:
    with _chainers_lock:
        chainer = _chainers.get(engine)
        if chainer is None:
            chainer = _chainers[engine] = Chainer(engine)
        return chainer
