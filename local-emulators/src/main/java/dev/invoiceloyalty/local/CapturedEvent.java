package dev.invoiceloyalty.local;

/** One PutEvents entry that EventBridge accepted; {@code detail} is the JSON text as sent. */
public record CapturedEvent(String source, String detailType, String detail, String eventBusName) {
}
