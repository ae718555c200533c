package io.mlops.benchmarks;

import io.mlops.core.spi.BlobStore;
import io.mlops.s3.S3BlobStore;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * s3proxy (filesystem backend over a temp folder) on a free loopback port in this JVM, with one
 * bucket, and an {@link S3BlobStore} speaking to it through the AWS SDK over HTTP.
 */
final class LoopbackS3 implements AutoCloseable {

    private final Path root;
    private final BlobStoreContext context;
    private final S3Proxy proxy;
    final BlobStore store;

    LoopbackS3(String bucket) throws Exception {
        root = Files.createTempDirectory("mlops-s3-bench");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", root.toString());
        context = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, bucket);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench-access", "bench-secret").build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        store = S3BlobStore.builder().endpoint(URI.create("http://127.0.0.1:" + proxy.getPort())).bucket(bucket)
                .credentials("bench-access", "bench-secret").pathStyle(true).build();
    }

    @Override
    public void close() throws Exception {
        ((AutoCloseable) store).close();
        proxy.stop();
        context.close();
        BenchData.deleteTree(root);
    }
}
