package io.inventory.query;

/** Who sent a query: a client, or another instance forwarding it to the owner (which never forwards again). */
public enum RequestOrigin {
    CLIENT,
    PEER
}
