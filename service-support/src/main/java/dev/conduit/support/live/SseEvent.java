package dev.conduit.support.live;

/** One Server-Sent Event: its type ({@code event:}) and its JSON ({@code data:}, one line). */
public record SseEvent(String type, String data) {
}
