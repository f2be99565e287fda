package dev.invoiceloyalty.domain;

/** How far an overdue invoice has been handed on: to the AR team at 30 days, to collections at 60 (SPEC §7). */
public enum Escalation {
    NONE, AR_TEAM, COLLECTIONS
}
