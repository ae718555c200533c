/**
 * Implementations behind the drift API: the profile, the detector, the HTML report. Not API.
 */
package io.mlops.drift.internal;
