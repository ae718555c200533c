package io.mlops.registry;

import io.mlops.core.ReadOnlyException;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Opens a registry and a data store under {@code ROOT} (read-only for the test that runs it) and
 * prints what it reads, and how a write is refused: {@code ReadOnlyProbe ROOT}.
 */
public final class ReadOnlyProbe {

    private ReadOnlyProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        ModelRegistry registry = ModelRegistry.fileSystem(root.resolve("registry"));
        ModelVersion production = registry.byAlias("churn", "production").orElseThrow();
        System.out.println("alias production -> " + production.version());
        try (InputStream in = registry.openArtifact(production)) {
            System.out.println("artifact " + new String(in.readAllBytes()));
        }
        System.out.println("history " + registry.aliasHistory("churn", "production").size());
        try {
            registry.register("churn").artifact("new".getBytes()).save();
            System.out.println("registered?!");
        } catch (ReadOnlyException e) {
            System.out.println("register refused: " + e.getMessage());
        }
        try {
            registry.setAlias("churn", "production", "1.0.0");
            System.out.println("moved?!");
        } catch (ReadOnlyException e) {
            System.out.println("alias move refused: " + e.getMessage());
        }
        DataVersioning data = DataVersioning.fileSystem(root.resolve("data"));
        DatasetVersion v = data.versions("customers").get(0);
        System.out.println("dataset rows " + data.load(v.id()).rowCount());
        try {
            data.commit("customers", io.mlops.core.Dataset.builder().numeric("x", new double[] {4}).build()).save();
            System.out.println("committed?!");
        } catch (ReadOnlyException e) {
            System.out.println("commit refused: " + e.getMessage());
        }
        System.out.println("verify " + registry.verify());
    }
}
