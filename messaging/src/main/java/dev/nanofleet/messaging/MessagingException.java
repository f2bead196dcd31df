package dev.nanofleet.messaging;

/** The outbox or a consumer could not reach PostgreSQL or Kafka. */
public class MessagingException extends RuntimeException {

    public MessagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
