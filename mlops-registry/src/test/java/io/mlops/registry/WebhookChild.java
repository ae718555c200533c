package io.mlops.registry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link WebhooksTest}: subscribes, registers a version (committed), and is killed
 * ({@code Runtime.halt}) before its delivery could succeed (the receiver is down).
 */
public final class WebhookChild {

    private WebhookChild() {
    }

    public static void main(String[] args) throws Exception {
        ModelRegistry r = ModelRegistry.fileSystem(Path.of(args[0]));
        r.webhooks().subscribe("ci", URI.create(args[1]), WebhooksTest.SECRET.getBytes(StandardCharsets.UTF_8),
                RegistryEvent.Type.REGISTERED);
        r.register("churn").version(args[2]).artifact(args[2].getBytes(StandardCharsets.UTF_8)).save();
        System.out.println("committed");
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }
}
