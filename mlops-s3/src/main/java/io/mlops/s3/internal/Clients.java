package io.mlops.s3.internal;

import io.mlops.core.StorageException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Duration;

/** The SDK client of a store, and the check that its bucket can be used. */
final class Clients {

    private Clients() {
    }

    static S3Client create(S3Blobs.Settings s) {
        AwsCredentialsProvider credentials = s.accessKey() == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(s.pathStyle())
                // S3-compatible services (MinIO, Ceph, s3proxy) do not all take the SDK's newer
                // trailing checksums; every read is verified against its SHA-256 anyway
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(32)
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)));
        if (s.endpoint() != null) {
            builder.endpointOverride(s.endpoint());
        }
        return builder.build();
    }

    /** Fails with a message naming the endpoint and bucket unless the bucket exists and is accessible. */
    static void checkBucket(S3Client client, S3Blobs.Settings s) {
        try {
            client.headBucket(b -> b.bucket(s.bucket()));
        } catch (NoSuchBucketException e) {
            throw new StorageException("Bucket '" + s.bucket() + "' does not exist at " + endpoint(s));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new StorageException("Bucket '" + s.bucket() + "' does not exist at " + endpoint(s));
            }
            if (e.statusCode() == 403 || e.statusCode() == 401) {
                throw new StorageException("Access to bucket '" + s.bucket() + "' at " + endpoint(s)
                        + " was refused (HTTP " + e.statusCode() + "): check the credentials and the bucket's policy");
            }
            throw new StorageException("Cannot use bucket '" + s.bucket() + "' at " + endpoint(s) + ": HTTP "
                    + e.statusCode() + " " + e.awsErrorDetails().errorMessage(), e);
        } catch (SdkClientException e) {
            throw new StorageException("Cannot reach " + endpoint(s) + " (bucket '" + s.bucket() + "'): " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("Cannot use bucket '" + s.bucket() + "' at " + endpoint(s) + ": " + e.getMessage(), e);
        }
    }

    private static String endpoint(S3Blobs.Settings s) {
        return s.endpoint() == null ? "AWS S3 (" + s.region() + ")" : s.endpoint().toString();
    }
}
