"""The event path in `/metrics`: what each consumer did with its messages, what the relay
published, and how many dead letters wait for a replay."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from meent_shared.runtime import ServiceRuntime


class EventMetrics(Collector):
    """Reads the consumers' and the relay's own counters at each scrape (no second bookkeeping)."""

    def __init__(self, runtime: "ServiceRuntime"):
        self.runtime = runtime
        self.dead_letters_waiting: int | None = None

    async def refresh(self) -> None:
        """The figures that live in the database, read before a scrape."""
        self.dead_letters_waiting = await self.runtime.dead_letters_waiting()

    def collect(self) -> Iterator[Metric]:
        service = self.runtime.settings.service_name
        consumed = CounterMetricFamily(
            "meent_events_consumed",
            "Event messages this process settled, by stream and outcome",
            labels=["service", "stream", "outcome"],
        )
        for consumer in self.runtime.consumers:
            for outcome, count in vars(consumer.stats).items():
                consumed.add_metric([service, consumer.stream, outcome], count)
        yield consumed
        if self.runtime.relay is not None:
            published = CounterMetricFamily(
                "meent_events_published", "Outbox rows this process published", labels=["service"]
            )
            published.add_metric([service], self.runtime.relay.published)
            yield published
        if self.dead_letters_waiting is not None:
            waiting = GaugeMetricFamily(
                "meent_events_dead_letters_waiting",
                "Parked events (dead letters) not replayed yet, in this service's database",
                labels=["service"],
            )
            waiting.add_metric([service], self.dead_letters_waiting)
            yield waiting
