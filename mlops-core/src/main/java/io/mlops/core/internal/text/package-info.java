/**
 * Text plumbing the modules share (escaping for HTML). Not a public API.
 */
package io.mlops.core.internal.text;
