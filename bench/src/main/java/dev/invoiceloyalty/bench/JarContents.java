package dev.invoiceloyalty.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarFile;

/** What a function jar weighs and which SDK service modules and HTTP clients it carries. */
record JarContents(long bytes, List<String> sdkServices, List<String> otherHttpClients) {
    /** Entry prefixes of HTTP stacks the conventions keep out of function jars. */
    private static final Map<String, String> UNWANTED = Map.of(
            "software/amazon/awssdk/http/apache/", "SDK apache-client",
            "software/amazon/awssdk/http/nio/netty/", "SDK netty-nio-client",
            "software/amazon/awssdk/http/crt/", "SDK aws-crt-client",
            "org/apache/http/", "Apache HttpClient",
            "io/netty/", "Netty",
            "software/amazon/awssdk/crt/", "AWS CRT");

    static JarContents of(Path jar) throws IOException {
        TreeSet<String> services = new TreeSet<>();
        TreeSet<String> unwanted = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().forEach(entry -> {
                String name = entry.getName();
                if (name.startsWith("software/amazon/awssdk/services/")) {
                    String rest = name.substring("software/amazon/awssdk/services/".length());
                    int slash = rest.indexOf('/');
                    if (slash > 0) {
                        services.add(rest.substring(0, slash));
                    }
                }
                UNWANTED.forEach((prefix, what) -> {
                    if (name.startsWith(prefix)) {
                        unwanted.add(what);
                    }
                });
            });
        }
        return new JarContents(Files.size(jar), new ArrayList<>(services), new ArrayList<>(unwanted));
    }

    double megabytes() {
        return bytes / (1024.0 * 1024.0);
    }
}
