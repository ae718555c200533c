package io.mlops.s3;

import io.mlops.core.spi.BlobStore;
import io.mlops.test.BlobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The blob store kit on {@link S3BlobStore} against s3proxy over HTTP, through the real AWS SDK;
 * each test in a prefix of its own.
 */
class S3BlobStoreTest extends BlobStoreContract {

    static S3Server server;
    static S3Client raw;
    static Path folder;
    static int counter;

    final List<AutoCloseable> opened = new ArrayList<>();
    String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        folder = Files.createTempDirectory("mlops-s3proxy");
        server = new S3Server(folder, "kit");
        raw = server.rawClient();
    }

    @AfterAll
    static void stopServer() throws Exception {
        raw.close();
        server.close();
        io.mlops.test.Concurrency.class.getName(); // keep the kit's helpers on the test classpath
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    @Override
    protected BlobStore newStore() {
        prefix = "t" + (++counter) + "/";
        BlobStore store = server.store("kit").prefix(prefix).partSize(5L << 20).multipartThreshold(5L << 20).build();
        opened.add((AutoCloseable) store);
        return store;
    }

    private String key(String sha) {
        return prefix + "objects/" + sha.substring(0, 2) + "/" + sha;
    }

    @Override
    protected void flipOneByte(BlobStore store, String sha256, long offset) throws IOException {
        byte[] bytes = raw.getObjectAsBytes(b -> b.bucket("kit").key(key(sha256))).asByteArray();
        bytes[(int) offset] ^= 1;
        raw.putObject(b -> b.bucket("kit").key(key(sha256)), RequestBody.fromBytes(bytes));
    }

    @Override
    protected long blobCount(BlobStore store) {
        // the filesystem backend of s3proxy lists its folders too, as keys ending in '/'
        return raw.listObjectsV2Paginator(b -> b.bucket("kit").prefix(prefix + "objects/")).contents().stream()
                .filter(o -> !o.key().endsWith("/")).count();
    }
}
