package io.inventory.serde;

/**
 * The result of reading an inbound record. An {@link Invalid} record goes to the dead letter topic; when it
 * could still be attributed (an order or a product and an event id), {@code answer} is the event to process
 * anyway, so that its sender gets a definite business answer (a failure or a rejection) as well.
 */
public sealed interface Parsed<T> {

    record Valid<T>(T value) implements Parsed<T> {
    }

    record Invalid<T>(InvalidReason reason, String detail, T answer) implements Parsed<T> {
    }
}
