/** The S3 blob store's implementation; not API. */
package io.mlops.s3.internal;
