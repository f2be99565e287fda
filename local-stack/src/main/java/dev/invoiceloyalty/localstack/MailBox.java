package dev.invoiceloyalty.localstack;

import dev.invoiceloyalty.local.CapturedEmail;

import java.util.List;

/** What {@code /_local/mail} shows: the emails the functions sent, oldest first. */
interface MailBox {
    List<CapturedEmail> emails();

    /** {@code DELETE /_local/mail}: afterwards {@link #emails()} shows only what is sent from now on. */
    void clear();
}
