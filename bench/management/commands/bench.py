"""python manage.py bench --n 1000000: load, then print one line per figure against its target."""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from bench import loader, measure


class Command(BaseCommand):
    help = "Load N complaints into PostgreSQL and measure the sweep, report, pages and intake."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=50_000, help="complaints to load (default 50,000)")
        parser.add_argument(
            "--overdue", type=int, default=1000, help="overdue complaints the sweep escalates"
        )
        parser.add_argument("--no-load", action="store_true", help="measure the data already loaded")
        parser.add_argument("--load-only", action="store_true", help="load and stop")
        parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (after a warm-up)")
        parser.add_argument("--no-http", action="store_true", help="skip the gunicorn intake and memory run")
        parser.add_argument("--port", type=int, default=8790, help="port for gunicorn (loopback)")
        parser.add_argument("--seconds", type=int, default=10, help="load-generator seconds per intake round")

    def handle(self, *args, **options):
        try:
            loader.require_postgres()
        except RuntimeError as exc:
            # One line and exit status 1, not a traceback from deep inside the loader.
            raise CommandError(str(exc)) from None
        out = self.stdout.write
        if not options["no_load"]:
            started = time.perf_counter()
            loaded = loader.load(options["n"], overdue=options["overdue"], log=lambda m: out(f"  load: {m}"))
            out(
                f"loaded {loaded.complaints} complaints ({loaded.open} open, {loaded.overdue} overdue, "
                f"{loaded.escalated_open} escalated), {loaded.records} records, {loaded.customers} "
                f"customers, {loaded.value_figures} value figures in {time.perf_counter() - started:.0f} s"
            )
            if options["load_only"]:
                return
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        out(f"figures ({os.cpu_count()} CPUs, load average {load}; medians of {options['runs']} runs):")
        measure.run_all(log=out, runs=options["runs"])
        if not options["no_http"]:
            from bench import http

            http.run(port=options["port"], seconds=options["seconds"], log=out)
