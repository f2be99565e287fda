package dev.invoiceloyalty.local;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

import java.util.logging.Logger;

/**
 * Keeps the emulators' start-up chatter out of test output. Most settings are system properties read when
 * a library first initialises, so they are set before any emulator starts, and only where the user (or a
 * test's own configuration) has not set them.
 */
final class Quiet {
    // java.util.logging holds loggers weakly: without this reference the level set below would be lost
    // with the logger at the next garbage collection.
    private static final Logger SQLITE = Logger.getLogger("com.almworks.sqlite4java");
    private static boolean done;

    private Quiet() {
    }

    static synchronized void logging() {
        if (done) {
            return;
        }
        done = true;
        // ElasticMQ ships pekko.loglevel = DEBUG, which runs every debug line through the logging actor
        // even when nothing prints it.
        setIfAbsent("pekko.loglevel", "WARNING");
        setIfAbsent("pekko.stdout-loglevel", "WARNING");
        // DynamoDB Local uses SDK v1 inside, which announces its end of support on first use.
        setIfAbsent("aws.java.v1.disableDeprecationAnnouncement", "true");
        // Neither emulator needs an SLF4J provider; without one SLF4J warns that it found none. Errors
        // still print, and a test classpath with a provider is unaffected.
        setIfAbsent("slf4j.internal.verbosity", "ERROR");
        // SQLite (under DynamoDB Local) logs every database open and close at INFO.
        SQLITE.setLevel(java.util.logging.Level.WARNING);
        try {
            // DynamoDB Local's bundled log4j2.xml says WARN, but a log4j2 configuration of the test's own
            // (Powertools logging brings one) takes precedence over it.
            Configurator.setLevel("com.amazonaws.services.dynamodbv2", Level.WARN);
        } catch (LinkageError e) {
            // log4j-core missing or of another major version: DynamoDB Local then logs as that decides.
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
