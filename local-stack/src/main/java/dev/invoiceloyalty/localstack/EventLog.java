package dev.invoiceloyalty.localstack;

import dev.invoiceloyalty.local.CapturedEvent;

import java.util.List;

/** What {@code /_local/events} shows: the integration events the functions put on the bus, oldest first. */
interface EventLog {
    List<CapturedEvent> events();
}
