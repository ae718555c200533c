package io.mlops.s3;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real S3-compatible server for the tests: s3proxy over a temp folder (jclouds' filesystem
 * provider), inside the test JVM on a free loopback port, with AWS signature checks on.
 */
public final class S3Server implements AutoCloseable {

    /** The access key the server accepts. */
    public static final String ACCESS_KEY = "mlops-access";
    /** Its secret key. */
    public static final String SECRET_KEY = "mlops-secret-key";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    /**
     * Starts a server over a folder, with the buckets made.
     *
     * @param folder where the objects are kept
     * @param buckets buckets to make
     * @throws Exception when it does not start
     */
    /**
     * jclouds logs through java.util.logging, at SEVERE with a stack trace, every upload a test
     * cuts off on purpose (a killed client): expected, so not shown. Kept here so that the setting
     * is not collected with its logger.
     */
    private static final java.util.logging.Logger JCLOUDS = java.util.logging.Logger.getLogger("org.jclouds");

    static {
        JCLOUDS.setLevel(java.util.logging.Level.OFF);
    }

    public S3Server(Path folder, String... buckets) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        context = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /**
     * Returns the server's address.
     *
     * @return the server's address
     */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** A plain SDK client for the server, to look at or damage what a store wrote. */
    software.amazon.awssdk.services.s3.S3Client rawClient() {
        return software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /**
     * Returns a store builder for a bucket of this server.
     *
     * @param bucket a bucket
     * @return the builder
     */
    public S3BlobStore.Builder store(String bucket) {
        return S3BlobStore.builder().endpoint(endpoint()).bucket(bucket).credentials(ACCESS_KEY, SECRET_KEY).pathStyle(true);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
